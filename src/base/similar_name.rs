//! "Did you mean" for a missing file, over every name of its folder: the names are
//! read once per folder (kept while the folder's modification time stays the same, so a
//! scene with 100 missing frames of one folder of 200 000 reads it once), and each is
//! compared by an edit distance that gives up as soon as it exceeds the best found so
//! far. Reading a folder and searching it are both bounded in time; a search cut short
//! says only a name one edit away, which no later name could beat.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant, SystemTime};

/// The most names of one folder kept.
const MAX_NAMES: usize = 1_000_000;
/// The longest a folder is read, and the longest one search takes.
const READ_TIME: Duration = Duration::from_millis(500);
const SEARCH_TIME: Duration = Duration::from_millis(200);

/// A folder's names (lowercased for comparing, as written for the hint), and whether
/// they are all of them.
struct Listing {
    modified: Option<SystemTime>,
    names: Vec<(Vec<char>, String)>,
    complete: bool,
}

fn listings() -> &'static Mutex<HashMap<PathBuf, Arc<Listing>>> {
    static CACHE: OnceLock<Mutex<HashMap<PathBuf, Arc<Listing>>>> = OnceLock::new();
    CACHE.get_or_init(Default::default)
}

/// The names of `dir`, read now or earlier while it has not changed.
fn listing(dir: &Path) -> Option<Arc<Listing>> {
    let modified = std::fs::metadata(dir).ok()?.modified().ok();
    let key = dir.to_path_buf();
    if let Some(l) = listings().lock().ok()?.get(&key) {
        if l.modified.is_some() && l.modified == modified {
            return Some(l.clone());
        }
    }
    let started = Instant::now();
    let mut names = Vec::new();
    let mut complete = true;
    for entry in std::fs::read_dir(dir).ok()? {
        if names.len() >= MAX_NAMES || started.elapsed() > READ_TIME {
            complete = false;
            break;
        }
        let Some(name) = entry.ok().and_then(|e| e.file_name().into_string().ok()) else {
            continue;
        };
        names.push((name.to_lowercase().chars().collect(), name));
    }
    let l = Arc::new(Listing {
        modified,
        names,
        complete,
    });
    if let Ok(mut cache) = listings().lock() {
        cache.insert(key, l.clone());
    }
    Some(l)
}

/// The name of `dir` nearest to `name` (not `name` itself), within the distance
/// [`closest`](super::diag::closest) allows for a typo: at most a third of the
/// candidate's length, and at least 1. Ties go to the name read first.
pub fn in_folder(dir: &Path, name: &str) -> Option<String> {
    let l = listing(dir)?;
    let word: Vec<char> = name.to_lowercase().chars().collect();
    let started = Instant::now();
    let mut best: Option<(usize, &str)> = None;
    let mut complete = l.complete;
    for (i, (lower, written)) in l.names.iter().enumerate() {
        if i % 4096 == 4095 && started.elapsed() > SEARCH_TIME {
            complete = false;
            break;
        }
        // as `closest`: at most a third of the name's length (at least 1), less than
        // the longer length; and closer than the best so far
        let typo = 1
            .max(lower.len() / 3)
            .min(lower.len().max(word.len()).max(1) - 1);
        let bound = best.map_or(typo, |(d, _)| typo.min(d - 1));
        if written == name || lower.len().abs_diff(word.len()) > bound {
            continue;
        }
        if let Some(d) = distance_within(&word, lower, bound) {
            best = Some((d, written));
            if d == 0 {
                break;
            }
        }
    }
    match best {
        Some((d, w)) if complete || d <= 1 => Some(w.to_string()),
        _ => None,
    }
}

/// The optimal-string-alignment distance of `a` and `b` (insertions, deletions,
/// substitutions, swaps of neighbours) if it is at most `k`, computed in a band of
/// `2k + 1` diagonals and given up once a whole row exceeds `k`.
pub fn distance_within(a: &[char], b: &[char], k: usize) -> Option<usize> {
    if a.len().abs_diff(b.len()) > k {
        return None;
    }
    // names of one pattern (`frame_000001.png`) differ in a few places: the common
    // start and end change no distance and leave a small table
    let start = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    let (a, b) = (&a[start..], &b[start..]);
    let end = a
        .iter()
        .rev()
        .zip(b.iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    let (a, b) = (&a[..a.len() - end], &b[..b.len() - end]);
    let far = k + 1;
    let (n, m) = (a.len(), b.len());
    // rows i-2, i-1 and i of the table, indexed by j
    let mut two: Vec<usize> = vec![far; m + 1];
    let mut prev: Vec<usize> = (0..=m).map(|j| j.min(far)).collect();
    let mut row: Vec<usize> = vec![far; m + 1];
    for i in 1..=n {
        let lo = i.saturating_sub(k).max(1);
        let hi = (i + k).min(m);
        row.fill(far);
        row[0] = i.min(far);
        let mut least = row[0];
        for j in lo..=hi {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut d = (prev[j - 1] + cost).min(prev[j] + 1).min(row[j - 1] + 1);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                d = d.min(two[j - 2] + 1);
            }
            row[j] = d.min(far);
            least = least.min(row[j]);
        }
        if least > k {
            return None;
        }
        std::mem::swap(&mut two, &mut prev);
        std::mem::swap(&mut prev, &mut row);
    }
    Some(prev[m]).filter(|d| *d <= k)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chars(s: &str) -> Vec<char> {
        s.chars().collect()
    }

    #[test]
    fn the_bounded_distance_is_strsims_within_the_bound() {
        let words = [
            "",
            "a",
            "ab",
            "ba",
            "abc",
            "acb",
            "frame_000001.png",
            "frame_000010.png",
            "frame_00001.png",
            "frame_0000001.png",
            "frame_900001.png",
            "Frame_000001.PNG",
            "baa",
            "aba",
            "abab",
            "baba",
            "xaby",
            "xbay",
            "kitten",
            "sitting",
            "flaw",
            "lawn",
            "ca",
            "abc",
            "données",
            "donnees",
        ];
        for a in words {
            for b in words {
                let full = strsim::osa_distance(a, b);
                for k in 0..8 {
                    let got = distance_within(&chars(a), &chars(b), k);
                    let want = (full <= k).then_some(full);
                    assert_eq!(got, want, "{a:?} {b:?} within {k}");
                }
            }
        }
    }

    /// hostile7 F-AJ: with 20 000 names, the first 10 000 only were looked at and a
    /// name eight edits away was suggested while one a single edit away existed.
    #[test]
    fn regression_every_name_of_a_large_folder_is_looked_at() {
        let dir = tempfile::tempdir().unwrap();
        for i in 0..20_000 {
            std::fs::File::create(dir.path().join(format!("frame_{i:06}.png"))).unwrap();
        }
        // two letters swapped: each is one edit from its frame alone, wherever the
        // folder's order puts it (the first 10 000 read held about half of them)
        for n in (999..20_000).step_by(1000) {
            let hint = in_folder(dir.path(), &format!("frame_{n:06}.pgn"));
            assert_eq!(hint, Some(format!("frame_{n:06}.png")));
        }
        assert_eq!(
            in_folder(dir.path(), "frame_019999.jpg").as_deref(),
            Some("frame_019999.png")
        );
        assert_eq!(in_folder(dir.path(), "nothing_like_it.txt"), None);
    }
}
