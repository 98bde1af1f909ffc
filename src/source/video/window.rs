//! The pictures a decoder decoded last, by frame number, oldest evicted first: the
//! neighbours parallel workers ask for next, or a group of pictures played backwards.

use std::collections::VecDeque;
use std::sync::Arc;

use super::decoder::Picture;

pub struct Window {
    pictures: VecDeque<(usize, Arc<Picture>)>,
    /// How many pictures it may hold.
    pub capacity: usize,
}

impl Window {
    pub fn new(capacity: usize) -> Window {
        Window {
            pictures: VecDeque::new(),
            capacity,
        }
    }

    pub fn get(&self, n: usize) -> Option<Arc<Picture>> {
        self.pictures
            .iter()
            .find(|(k, _)| *k == n)
            .map(|(_, p)| p.clone())
    }

    pub fn clear(&mut self) {
        self.pictures.clear();
    }

    pub fn insert(&mut self, n: usize, picture: Arc<Picture>) {
        self.pictures.retain(|(k, _)| *k != n);
        self.pictures.push_back((n, picture));
        while self.pictures.len() > self.capacity {
            self.pictures.pop_front();
        }
    }

    /// The earliest frame held from `start` on.
    pub fn oldest_from(&self, start: usize) -> Option<usize> {
        self.pictures
            .iter()
            .map(|(k, _)| *k)
            .filter(|k| *k >= start)
            .min()
    }

    /// The frames held, ascending.
    pub fn held(&self) -> Vec<usize> {
        let mut v: Vec<usize> = self.pictures.iter().map(|(k, _)| *k).collect();
        v.sort_unstable();
        v
    }
}
