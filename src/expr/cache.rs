//! Grids of an expression's time-independent parts, kept from one frame to the next.
//!
//! A field like the SVM classifier's sums 50 `exp` bumps, each scaled by a factor of
//! `t`: the bumps never change, yet were computed again every frame (most of that
//! scene's time). The grid evaluator keeps such values — those on both axes that do not
//! depend on time and are read by values that do — for the last grid it was given, and
//! reads them back while the grid stays the same. Memory is bounded: all caches of a
//! process together hold at most [`BUDGET`] bytes; a grid that does not fit, or an
//! expression whose grid keeps changing (moving axes), is computed in full every frame,
//! as without a cache. The values read back are the very ones computed, so pictures do
//! not change.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

/// The most bytes all grid caches of the process hold together (128 MiB).
pub const BUDGET: usize = 128 << 20;

/// Bytes held now by every cache.
static USED: AtomicUsize = AtomicUsize::new(0);

/// After this many changes of grid an expression stops caching: its axes move.
const MAX_CHANGES: u32 = 2;

/// Bytes of the budget held by one entry, given back when it is dropped.
struct Reservation(usize);

impl Reservation {
    fn take(bytes: usize) -> Option<Reservation> {
        USED.fetch_update(Ordering::AcqRel, Ordering::Acquire, |used| {
            used.checked_add(bytes).filter(|&u| u <= BUDGET)
        })
        .ok()
        .map(|_| Reservation(bytes))
    }
}

impl Drop for Reservation {
    fn drop(&mut self) {
        USED.fetch_sub(self.0, Ordering::AcqRel);
    }
}

/// The kept values of one grid.
pub struct Entry {
    xs: Vec<f64>,
    ys: Vec<f64>,
    /// One row-major grid (`ys.len()` rows of `xs.len()`) per kept value.
    pub cols: Vec<Vec<f64>>,
    _held: Reservation,
}

impl Entry {
    fn is_for(&self, xs: &[f64], ys: &[f64]) -> bool {
        let same = |a: &[f64], b: &[f64]| {
            a.len() == b.len() && a.iter().zip(b).all(|(p, q)| p.to_bits() == q.to_bits())
        };
        same(&self.xs, xs) && same(&self.ys, ys)
    }
}

#[derive(Default)]
struct State {
    entry: Option<Arc<Entry>>,
    changes: u32,
}

/// What [`GridCache::lookup`] did.
pub enum Got {
    /// The values were kept: read them.
    Hit(Arc<Entry>),
    /// The fill ran (and wrote the output); its values are kept for the next call.
    Filled,
    /// Nothing is kept for this grid: compute it without the cache.
    Off,
}

/// The cache of one compiled expression; shared by the threads rendering its frames.
#[derive(Default)]
pub struct GridCache {
    state: Mutex<State>,
}

impl std::fmt::Debug for GridCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("GridCache")
    }
}

impl GridCache {
    /// The `n` kept grids of `xs` × `ys`. When they are missing and fit in the budget,
    /// `fill` computes them into the zeroed grids it is given (and writes the output
    /// on the way), holding the lock so that other threads wait for them rather than
    /// compute them too.
    pub fn lookup(
        &self,
        xs: &[f64],
        ys: &[f64],
        n: usize,
        fill: impl FnOnce(&mut [Vec<f64>]),
    ) -> Got {
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(e) = &state.entry {
            if e.is_for(xs, ys) {
                return Got::Hit(e.clone());
            }
            state.changes += 1;
        }
        // Give back the old grid's bytes before asking for the new one's.
        state.entry = None;
        if state.changes > MAX_CHANGES {
            return Got::Off;
        }
        let points = xs.len() * ys.len();
        let bytes = points
            .checked_mul(n)
            .and_then(|v| v.checked_mul(std::mem::size_of::<f64>()));
        let Some(held) = bytes.and_then(Reservation::take) else {
            return Got::Off;
        };
        let mut cols: Vec<Vec<f64>> = (0..n).map(|_| vec![0.0; points]).collect();
        fill(&mut cols);
        state.entry = Some(Arc::new(Entry {
            xs: xs.to_vec(),
            ys: ys.to_vec(),
            cols,
            _held: held,
        }));
        Got::Filled
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_one_grid_and_gives_up_on_moving_axes() {
        let c = GridCache::default();
        let fill = |v: f64| move |cols: &mut [Vec<f64>]| cols[0].fill(v);
        let (xs, ys) = ([0.0, 1.0], [2.0]);
        assert!(matches!(c.lookup(&xs, &ys, 1, fill(5.0)), Got::Filled));
        match c.lookup(&xs, &ys, 1, fill(6.0)) {
            Got::Hit(e) => assert_eq!(e.cols[0], [5.0, 5.0]),
            _ => panic!("the same grid is kept"),
        }
        // Another grid replaces it, a few times; then the expression stops caching.
        for k in 0..MAX_CHANGES {
            let ys = [3.0 + k as f64];
            assert!(matches!(c.lookup(&xs, &ys, 1, fill(7.0)), Got::Filled));
        }
        assert!(matches!(c.lookup(&xs, &[9.0], 1, fill(8.0)), Got::Off));
        assert!(c.state.lock().unwrap().entry.is_none());
    }

    #[test]
    fn grids_over_the_budget_are_not_kept() {
        let c = GridCache::default();
        let xs = vec![0.0; 1 << 12];
        let ys = vec![0.0; 1 << 12];
        // 16 M points × 8 bytes × 2 grids: 256 MiB, twice the budget; no fill runs.
        let got = c.lookup(&xs, &ys, 2, |_| panic!("no fill over the budget"));
        assert!(matches!(got, Got::Off));
        let huge = vec![0.0; 1 << 20];
        assert!(matches!(
            c.lookup(&huge, &huge, usize::MAX, |_| panic!("no fill on overflow")),
            Got::Off
        ));
    }
}
