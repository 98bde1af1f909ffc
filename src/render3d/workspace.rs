//! The buffers a 3-D frame is drawn with (triangles, a band of samples, per-vertex
//! arrays), shared by the render threads under a memory budget.
//!
//! A big grid's vertex arrays and triangles take over 100 MB: kept per thread,
//! `--threads 1024` would
//! multiply them. Instead a render borrows a workspace from a pool, waiting while the
//! workspaces in use would exceed [`IN_USE_BYTES`], and gives it back for the next
//! frame (idle ones are kept up to [`IDLE_BYTES`], so buffers are allocated once,
//! not once a frame).

use std::sync::{Condvar, Mutex, MutexGuard};

use super::draw::Scratch;
use super::math::Vec3;
use super::mesh::Vertices;
use super::raster::Target;

/// Workspaces in use together take at most this much (a single larger one may run
/// alone).
pub const IN_USE_BYTES: u64 = 1 << 30;
/// Idle workspaces kept for reuse take at most this much.
pub const IDLE_BYTES: u64 = 512 << 20;

/// Bytes a vertex (heights, vertex data, projection) and a curve point take, and the
/// triangles drawn for each (a filled mesh two a vertex, its lines two more; a curve's
/// segment two), for estimates.
const VERTEX_BYTES: u64 = 8 + 56 + 80;
const POINT_BYTES: u64 = 24 + 8 + 12;
const TRIANGLES_PER_VERTEX: u64 = 4;
const TRIANGLES_PER_POINT: u64 = 2;

/// Everything a 3-D frame needs besides the frame itself.
#[derive(Default)]
pub struct Workspace {
    pub target: Target,
    pub scratch: Scratch,
    /// A surface's heights, row by row.
    pub heights: Vec<f64>,
    pub vertices: Vertices,
    /// A curve's points, their values and line colours.
    pub points: Vec<Vec3>,
    pub values: Vec<f64>,
    pub colors: Vec<[f32; 3]>,
}

impl Workspace {
    /// The memory a frame of `samples` samples, `vertices` mesh vertices and `points`
    /// curve points needs.
    pub fn estimate(samples: u64, vertices: u64, points: u64) -> u64 {
        let triangles = vertices * TRIANGLES_PER_VERTEX + points * TRIANGLES_PER_POINT;
        Target::estimate(samples, triangles) + vertices * VERTEX_BYTES + points * POINT_BYTES
    }

    /// The memory held now (capacities).
    pub fn bytes(&self) -> u64 {
        let v = &self.vertices;
        (self.target.capacity_bytes()
            + self.scratch.capacity_bytes()
            + self.heights.capacity() * 8
            + (v.positions.capacity() + v.normals.capacity()) * 24
            + v.values.capacity() * 8
            + self.points.capacity() * 24
            + self.values.capacity() * 8
            + self.colors.capacity() * 12) as u64
    }
}

struct Pool {
    idle: Vec<Workspace>,
    idle_bytes: u64,
    in_use: u64,
}

static POOL: Mutex<Pool> = Mutex::new(Pool {
    idle: Vec::new(),
    idle_bytes: 0,
    in_use: 0,
});
static RETURNED: Condvar = Condvar::new();

fn lock() -> MutexGuard<'static, Pool> {
    POOL.lock().unwrap_or_else(|p| p.into_inner())
}

/// Gives the reservation back even if drawing panics.
struct Reservation(u64);

impl Drop for Reservation {
    fn drop(&mut self) {
        lock().in_use -= self.0;
        RETURNED.notify_all();
    }
}

/// Runs `draw` with a workspace once `need` bytes (see [`Workspace::estimate`]) fit
/// the budget, then keeps the workspace for later frames if there is room.
pub fn with<R>(need: u64, draw: impl FnOnce(&mut Workspace) -> R) -> R {
    let (mut ws, reservation) = {
        let mut pool = lock();
        while pool.in_use > 0 && pool.in_use + need > IN_USE_BYTES {
            pool = RETURNED.wait(pool).unwrap_or_else(|p| p.into_inner());
        }
        let ws = pool.idle.pop().unwrap_or_default();
        let held = ws.bytes();
        pool.idle_bytes -= held.min(pool.idle_bytes);
        // A reused workspace may hold more than this frame needs: count what it holds.
        let reserved = need.max(held);
        pool.in_use += reserved;
        (ws, Reservation(reserved))
    };
    let result = draw(&mut ws);
    let bytes = ws.bytes();
    {
        let mut pool = lock();
        if pool.idle_bytes + bytes <= IDLE_BYTES {
            pool.idle_bytes += bytes;
            pool.idle.push(ws);
        }
    }
    drop(reservation);
    result
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicU64, Ordering};

    #[test]
    fn workspaces_are_reused_and_budgeted() {
        // Many threads, each needing a third of the budget: never more than three at
        // once, and every one finishes.
        let running = AtomicU64::new(0);
        let peak = AtomicU64::new(0);
        std::thread::scope(|s| {
            for _ in 0..8 {
                s.spawn(|| {
                    with(IN_USE_BYTES / 3, |ws| {
                        ws.heights.resize(16, 0.0);
                        let now = running.fetch_add(1, Ordering::SeqCst) + 1;
                        peak.fetch_max(now, Ordering::SeqCst);
                        std::thread::sleep(std::time::Duration::from_millis(5));
                        running.fetch_sub(1, Ordering::SeqCst);
                    })
                });
            }
        });
        assert!(peak.load(Ordering::SeqCst) <= 3);
        // A need larger than the whole budget still runs (alone).
        assert_eq!(with(IN_USE_BYTES * 2, |_| 7), 7);
        assert!(
            with(0, |ws| ws.heights.capacity()) >= 16,
            "a workspace was kept"
        );
    }
}
