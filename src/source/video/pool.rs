//! A few decoders for one file, so that a video used at two times at once (a
//! `subclip` of a clip that also plays whole, the same clip as two layers starting at
//! different times, forwards and reversed) streams each use on a decoder of its own
//! instead of seeking one decoder back and forth on every frame.
//!
//! Each request goes to the decoder that serves it cheapest: one that holds the frame,
//! else the nearest one that reaches it by decoding a little forward, else one playing
//! backwards just past it. When every decoder would have to jump (seek, or decode far
//! forward), a request coming back near where a decoder was taken away from means two
//! uses are interleaving: it gets a decoder of its own, up to [`MAX_DECODERS`].
//! Otherwise a worker running late for one decoder's stream steps that decoder back,
//! and anything else makes the least recently used one jump, as the single decoder
//! always did (a fast forward, a loop, `reverse` at high speed). A clip used once keeps
//! one decoder (parallel workers around a loop's jump may open a second one) and is
//! exactly as fast as before.
//!
//! Each decoder reads its file as it decodes, so it keeps a descriptor open (and
//! FFmpeg's buffers and threads). Over the whole process at most [`budget`] decoders
//! stay open: past it, opening one first closes the least recently used idle decoder of
//! another clip, which opens one again (and seeks) when it is next drawn. A scene of
//! hundreds of video clips so renders, more slowly, instead of running out of
//! descriptors (`ulimit -n`).

use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, Weak};

use super::decoder::{Decoder, Picture, Plan, Reach, Source, FORWARD_SLACK};
use super::index::FrameIndex;

/// Decoders one file may have open at once. Each holds its own window of pictures and
/// FFmpeg's buffers, so this bounds a source's memory at a few times a single one's.
pub const MAX_DECODERS: usize = 4;

/// What serving a request on one decoder costs, cheapest first.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cost {
    /// The picture is in its window.
    Held,
    /// Reached by decoding forward this many frames (at most `FORWARD_SLACK`).
    Forward(usize),
    /// Reached by decoding forward this many frames, more than `FORWARD_SLACK`: no
    /// seek, but as much work, and the decoder leaves where it was.
    Far(usize),
    /// Just behind its window: it is playing backwards.
    Behind,
    /// It has to seek.
    Seek,
}

/// What the pool knows of one decoder between requests.
#[derive(Clone, Debug, Default)]
pub struct Seat {
    pub reach: Reach,
    /// Requests given to it and not finished yet.
    pub pending: usize,
    /// The last request given to it.
    pub claim: usize,
    /// When it was last given a request (the pool's request count).
    pub used: u64,
    /// Where it stood before its last jump.
    pub left: Option<usize>,
    /// The request that makes it jump, until it is served: `reach` is stale till then.
    pub moving: Option<u64>,
}

impl Seat {
    pub fn cost(&self, index: &FrameIndex, n: usize, base: usize) -> Cost {
        if self.moving.is_none() && self.reach.held.binary_search(&n).is_ok() {
            return Cost::Held;
        }
        // Busy with a request near this one: it will be there.
        let c = self.claim;
        if self.pending > 0 && n <= c + FORWARD_SLACK && n + base >= c {
            return Cost::Forward(n.abs_diff(c));
        }
        if self.moving.is_some() {
            return Cost::Seek;
        }
        let stand = &self.reach.stand;
        match stand.plan(index, n, base) {
            Plan::Forward => match n.saturating_sub(stand.position.unwrap_or(0)) {
                d if d > FORWARD_SLACK => Cost::Far(d),
                d => Cost::Forward(d),
            },
            Plan::Behind(_) => Cost::Behind,
            Plan::Seek(_) => Cost::Seek,
        }
    }

    /// Where it stands, or will once its pending requests are served.
    fn at(&self) -> Option<usize> {
        if self.pending > 0 {
            Some(self.claim)
        } else {
            self.reach.stand.position
        }
    }
}

/// Where a request goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Choice {
    Use(usize, Cost),
    Open,
}

/// Picks the decoder for frame `n`, given what each would cost; `base` is a window's
/// size when not playing backwards.
pub fn choose(seats: &[Seat], costs: &[Cost], n: usize, base: usize, can_open: bool) -> Choice {
    let pick = |rank: &dyn Fn(Cost) -> Option<usize>| {
        (0..seats.len())
            .filter_map(|i| rank(costs[i]).map(|r| (r, i)))
            .min()
            .map(|(_, i)| Choice::Use(i, costs[i]))
    };
    let held = |c| (c == Cost::Held).then_some(0);
    let forward = |c| match c {
        Cost::Forward(d) => Some(d),
        _ => None,
    };
    let behind = |c| (c == Cost::Behind).then_some(0);
    if let Some(c) = pick(&held)
        .or_else(|| pick(&forward))
        .or_else(|| pick(&behind))
    {
        return c;
    }
    // Every decoder has to jump (seek, or decode far forward). Back near where one was
    // taken away from: another use of the clip is asking, and jumping would take the
    // decoder from one use to the other and back on every frame.
    let returning = seats.iter().any(|s| {
        s.left
            .is_some_and(|l| n + base >= l && n <= l + FORWARD_SLACK)
    });
    if returning && can_open {
        return Choice::Open;
    }
    // A worker running late for a decoder's stream: that decoder steps back (and then
    // decodes forward again). Anything else: the least recently used one.
    let late = (0..seats.len())
        .filter_map(|i| {
            let d = seats[i].at()?.checked_sub(n)?;
            (d <= FORWARD_SLACK + base).then_some((d, i))
        })
        .min();
    let lru = || (0..seats.len()).min_by_key(|&i| seats[i].used);
    late.map(|(_, i)| i)
        .or_else(lru)
        .map_or(Choice::Open, |i| Choice::Use(i, costs[i]))
}

/// Decoders open now, over every pool of the process.
static OPEN: AtomicUsize = AtomicUsize::new(0);
/// Requests so far, over every pool: which pool was used last.
static CLOCK: AtomicU64 = AtomicU64::new(0);
/// Every pool alive, to close an idle decoder of one when another needs one.
static POOLS: Mutex<Vec<Weak<Inner>>> = Mutex::new(Vec::new());

/// Decoders the process keeps open at once, over every video clip: an eighth of the
/// files it may open (`ulimit -n`), from 2 to 64. Each holds FFmpeg's buffers and
/// threads too, which is why there is an upper bound whatever the limit.
pub fn budget() -> usize {
    crate::base::input::open_files_limit()
        .map_or(64, |n| (n / 8) as usize)
        .clamp(2, 64)
}

struct Slot {
    decoder: Arc<Mutex<Decoder>>,
    seat: Seat,
}

impl Slot {
    fn new(d: Decoder) -> Slot {
        OPEN.fetch_add(1, Ordering::SeqCst);
        Slot {
            seat: Seat {
                reach: d.reach(),
                ..Seat::default()
            },
            decoder: Arc::new(Mutex::new(d)),
        }
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        OPEN.fetch_sub(1, Ordering::SeqCst);
    }
}

struct State {
    slots: Vec<Slot>,
    /// Requests so far.
    clock: u64,
    /// [`CLOCK`] at its last request.
    used: u64,
}

impl State {
    /// Closes its least recently used decoder if none is in use (a request's slot
    /// number must stay valid until the request is served).
    fn close_one(&mut self) -> bool {
        let idle = |s: &Slot| s.seat.pending == 0 && Arc::strong_count(&s.decoder) == 1;
        if self.slots.is_empty() || !self.slots.iter().all(idle) {
            return false;
        }
        let i = (0..self.slots.len())
            .min_by_key(|&i| self.slots[i].seat.used)
            .expect("not empty");
        self.slots.remove(i);
        true
    }
}

struct Inner {
    source: Arc<Source>,
    state: Mutex<State>,
}

/// The decoders of one file.
pub struct Pool {
    inner: Arc<Inner>,
}

/// Makes room for one more decoder under [`budget`], closing the least recently used
/// idle decoder of another pool than `me` if needed: whether there is room. Other
/// pools are only tried (`try_lock`), never waited for, so two pools making room at
/// once cannot wait on each other.
fn make_room(me: Option<&Inner>) -> bool {
    if OPEN.load(Ordering::SeqCst) < budget() {
        return true;
    }
    let mut pools = POOLS.lock().unwrap_or_else(|p| p.into_inner());
    pools.retain(|w| w.strong_count() > 0);
    let mut order: Vec<(u64, Arc<Inner>)> = pools
        .iter()
        .filter_map(Weak::upgrade)
        .filter(|p| !me.is_some_and(|me| std::ptr::eq(me, &**p)))
        .filter_map(|p| {
            let used = p.state.try_lock().ok()?.used;
            Some((used, p))
        })
        .collect();
    drop(pools);
    order.sort_by_key(|(used, _)| *used);
    for (_, pool) in order {
        let Ok(mut state) = pool.state.try_lock() else {
            continue;
        };
        if state.close_one() {
            return true;
        }
    }
    false
}

impl Pool {
    /// A pool starting with `first`, the decoder opened (and used) while loading, or
    /// with none: a clip nothing draws keeps no decoder (each holds FFmpeg's buffers
    /// and threads), and the first request opens one.
    ///
    /// Past the process's [`budget`], `first` is kept only if another pool's decoder
    /// can be closed for it.
    pub fn new(source: Arc<Source>, first: Option<Decoder>) -> Pool {
        let slots = first
            .filter(|_| make_room(None))
            .into_iter()
            .map(Slot::new)
            .collect();
        let inner = Arc::new(Inner {
            source,
            state: Mutex::new(State {
                slots,
                clock: 0,
                used: CLOCK.fetch_add(1, Ordering::SeqCst),
            }),
        });
        POOLS
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .push(Arc::downgrade(&inner));
        Pool { inner }
    }

    /// The picture of frame `n`, from whichever decoder serves it best.
    pub fn get(&self, n: usize) -> Result<Arc<Picture>, String> {
        let (i, request, decoder) = self.assign(n)?;
        let mut d = decoder.lock().unwrap_or_else(|p| p.into_inner());
        let picture = d.get(n);
        // The decoder's lock is held while its seat is updated (never the other way
        // round), so the seat never shows an older state than the last one.
        let reach = d.reach();
        let mut state = self.state();
        let seat = &mut state.slots[i].seat;
        seat.reach = reach;
        seat.pending -= 1;
        if seat.moving == Some(request) {
            seat.moving = None;
        }
        picture
    }

    fn state(&self) -> MutexGuard<'_, State> {
        self.inner.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Chooses (or opens) the decoder for frame `n` and books the request on it:
    /// which decoder, the request's number. Fails only when no decoder is open and
    /// none can be.
    fn assign(&self, n: usize) -> Result<(usize, u64, Arc<Mutex<Decoder>>), String> {
        let mut state = self.state();
        state.clock += 1;
        state.used = CLOCK.fetch_add(1, Ordering::SeqCst);
        let now = state.clock;
        let source = &self.inner.source;
        let (index, base) = (&source.index, source.base_capacity);
        let seats: Vec<Seat> = state.slots.iter().map(|s| s.seat.clone()).collect();
        let costs: Vec<Cost> = seats.iter().map(|s| s.cost(index, n, base)).collect();
        let can_open = seats.len() < MAX_DECODERS;
        let mut choice = choose(&seats, &costs, n, base, can_open);
        // A second decoder only within the process's budget; a first one whatever it
        // is (nothing else can serve the request), after closing another if it can.
        let room = choice == Choice::Open && make_room(Some(&self.inner));
        if choice == Choice::Open && !room && !seats.is_empty() {
            choice = choose(&seats, &costs, n, base, false);
        }
        if choice == Choice::Open {
            // Opening may fail (the file went away): then an open decoder seeks.
            match Decoder::open(source.clone()) {
                Ok(d) => {
                    // The use that came back now has its own decoder.
                    for slot in &mut state.slots {
                        slot.seat.left = None;
                    }
                    state.slots.push(Slot::new(d));
                }
                // None open yet: nothing else can serve it.
                Err(e) if seats.is_empty() => {
                    return Err(format!("cannot decode {}: {e}", source.path.display()))
                }
                Err(_) => choice = choose(&seats, &costs, n, base, false),
            }
        }
        let (i, cost) = match choice {
            Choice::Use(i, cost) => (i, cost),
            Choice::Open => (state.slots.len() - 1, Cost::Seek),
        };
        let seat = &mut state.slots[i].seat;
        if matches!(cost, Cost::Seek | Cost::Far(_)) {
            if choice != Choice::Open {
                seat.left = seat.at();
            }
            seat.moving = Some(now);
        }
        seat.pending += 1;
        seat.claim = n;
        seat.used = now;
        Ok((i, now, state.slots[i].decoder.clone()))
    }

    /// The largest window any decoder may hold now, in pictures.
    #[cfg(test)]
    pub fn window_capacity(&self) -> usize {
        let state = self.state();
        state
            .slots
            .iter()
            .map(|s| s.seat.reach.capacity)
            .max()
            .unwrap_or(0)
    }

    /// Decoders opened (the first included) and seeks made, for tests.
    #[cfg(test)]
    pub fn counts(&self) -> (usize, usize) {
        use std::sync::atomic::Ordering::Relaxed;
        (
            self.state().slots.len(),
            self.inner.source.seeks.load(Relaxed),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seat(position: usize, used: u64, left: Option<usize>) -> Seat {
        let mut s = Seat {
            used,
            left,
            ..Seat::default()
        };
        s.reach.stand.position = Some(position);
        s
    }

    #[test]
    fn cheapest_decoder_first_then_a_new_one_for_a_returning_use() {
        let seats = [seat(10, 1, None), seat(150, 2, None)];
        // Both decode forward: the nearer one.
        let costs = [Cost::Forward(143), Cost::Forward(3)];
        assert_eq!(
            choose(&seats, &costs, 153, 5, true),
            Choice::Use(1, costs[1])
        );
        let costs = [Cost::Seek, Cost::Held];
        assert_eq!(
            choose(&seats, &costs, 150, 5, true),
            Choice::Use(1, costs[1])
        );
        let costs = [Cost::Seek, Cost::Seek];
        // Far from both: the least recently used seeks.
        assert_eq!(
            choose(&seats, &costs, 80, 5, true),
            Choice::Use(0, Cost::Seek)
        );
        // A worker running late for the second decoder's stream.
        assert_eq!(
            choose(&seats, &costs, 140, 5, true),
            Choice::Use(1, Cost::Seek)
        );
        // Back where the first decoder was taken away from: another use.
        let seats = [seat(150, 2, Some(10))];
        let costs = [Cost::Seek];
        assert_eq!(choose(&seats, &costs, 11, 5, true), Choice::Open);
        assert_eq!(
            choose(&seats, &costs, 11, 5, false),
            Choice::Use(0, Cost::Seek)
        );
    }
}
