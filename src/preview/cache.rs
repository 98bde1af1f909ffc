//! Encoded frames of the current revision, so that playing a second loop or scrubbing
//! back costs nothing. A new revision empties it; its size is bounded.

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex};

/// Bytes of PNG kept at most.
const LIMIT: usize = 256 << 20;

/// A frame: its time (bits of the `f64`), width and height.
pub type Key = (u64, u32, u32);

#[derive(Default)]
struct Frames {
    revision: u64,
    bytes: usize,
    map: HashMap<Key, Arc<Vec<u8>>>,
    order: VecDeque<Key>,
}

#[derive(Default)]
pub struct Cache {
    frames: Mutex<Frames>,
}

impl Cache {
    pub fn get(&self, revision: u64, key: Key) -> Option<Arc<Vec<u8>>> {
        let f = self.frames.lock().unwrap_or_else(|p| p.into_inner());
        (f.revision == revision).then(|| f.map.get(&key).cloned())?
    }

    pub fn put(&self, revision: u64, key: Key, png: Arc<Vec<u8>>) {
        let mut f = self.frames.lock().unwrap_or_else(|p| p.into_inner());
        if f.revision != revision {
            if revision < f.revision {
                return; // a frame of a scene already replaced
            }
            *f = Frames {
                revision,
                ..Frames::default()
            };
        }
        f.bytes += png.len();
        if f.map.insert(key, png).is_none() {
            f.order.push_back(key);
        }
        while f.bytes > LIMIT {
            let Some(old) = f.order.pop_front() else {
                break;
            };
            if let Some(gone) = f.map.remove(&old) {
                f.bytes -= gone.len();
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_revision_empties_the_cache() {
        let c = Cache::default();
        let key = (1.5f64.to_bits(), 4, 2);
        c.put(1, key, Arc::new(vec![1, 2, 3]));
        assert_eq!(c.get(1, key).as_deref(), Some(&vec![1, 2, 3]));
        assert!(c.get(2, key).is_none());
        c.put(2, key, Arc::new(vec![4]));
        assert!(c.get(1, key).is_none());
        c.put(1, key, Arc::new(vec![9]));
        assert_eq!(c.get(2, key).as_deref(), Some(&vec![4]));
    }
}
