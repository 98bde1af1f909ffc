//! Whether the parts of a render fit together: the same render (frame count and
//! rate), and frame ranges that cover it exactly once from frame 0 to the end — in
//! whatever order the parts were named.

use crate::encode::stamp::Stamp;

/// A part of a render: what to call it in messages, and where it sits.
#[derive(Debug, Clone)]
pub struct Part<T> {
    pub name: String,
    pub stamp: Stamp,
    pub item: T,
}

/// Sorts the parts by their first frame and checks that they tile the render: no gap,
/// no overlap, nothing missing at either end, all from renders of the same length and
/// rate. The error names the parts and the frames.
pub fn order<T>(mut parts: Vec<Part<T>>) -> Result<Vec<Part<T>>, String> {
    let Some(first) = parts.first() else {
        return Err("nothing to join".into());
    };
    let reference = first.stamp.clone();
    let reference_name = first.name.clone();
    for p in &parts[1..] {
        if !p.stamp.same_render(&reference) {
            return Err(format!(
                "{} and {} come from different renders: {} and {}",
                reference_name,
                p.name,
                reference.describe(),
                p.stamp.describe()
            ));
        }
    }
    parts.sort_by_key(|p| (p.stamp.first, p.stamp.end));
    let total = reference.total;
    let mut next = 0;
    let mut previous: Option<&Part<T>> = None;
    for p in &parts {
        let s = &p.stamp;
        if s.first > next {
            return Err(match previous {
                None => format!(
                    "frames 0..{} are missing: the first part, {} (frames {}..{}), does not start at frame 0",
                    s.first, p.name, s.first, s.end
                ),
                Some(prev) => format!(
                    "frames {next}..{} are missing: {} ends at frame {next} and {} starts at frame {}",
                    s.first, prev.name, p.name, s.first
                ),
            });
        }
        if s.first < next {
            let prev = previous.expect("only a part after another can start before `next`");
            return Err(format!(
                "{} (frames {}..{}) and {} (frames {}..{}) overlap in frames {}..{}",
                prev.name,
                prev.stamp.first,
                prev.stamp.end,
                p.name,
                s.first,
                s.end,
                s.first,
                next.min(s.end)
            ));
        }
        next = s.end;
        previous = Some(p);
    }
    if next < total {
        let last = previous.expect("at least one part");
        return Err(format!(
            "frames {next}..{total} are missing: the last part, {}, ends at frame {next} of {total}",
            last.name
        ));
    }
    Ok(parts)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn part(name: &str, first: u64, end: u64, total: u64) -> Part<()> {
        Part {
            name: name.into(),
            stamp: Stamp {
                first,
                end,
                total,
                fps_num: 25,
                fps_den: 1,
                scene: None,
                options: Vec::new(),
            },
            item: (),
        }
    }

    fn names(parts: &[Part<()>]) -> Vec<&str> {
        parts.iter().map(|p| p.name.as_str()).collect()
    }

    #[test]
    fn parts_in_any_order_are_sorted() {
        let got = order(vec![
            part("c", 6, 10, 10),
            part("a", 0, 2, 10),
            part("b", 2, 6, 10),
        ])
        .unwrap();
        assert_eq!(names(&got), ["a", "b", "c"]);
        assert_eq!(
            names(&order(vec![part("all", 0, 10, 10)]).unwrap()),
            ["all"]
        );
    }

    #[test]
    fn gaps_are_named() {
        let e = order(vec![part("a", 0, 2, 10), part("c", 6, 10, 10)]).unwrap_err();
        assert_eq!(
            e,
            "frames 2..6 are missing: a ends at frame 2 and c starts at frame 6"
        );
        let e = order(vec![part("b", 2, 10, 10)]).unwrap_err();
        assert!(
            e.starts_with("frames 0..2 are missing: the first part, b"),
            "{e}"
        );
        let e = order(vec![part("a", 0, 2, 10), part("b", 2, 6, 10)]).unwrap_err();
        assert_eq!(
            e,
            "frames 6..10 are missing: the last part, b, ends at frame 6 of 10"
        );
    }

    #[test]
    fn overlaps_are_named() {
        let e = order(vec![part("b", 4, 10, 10), part("a", 0, 6, 10)]).unwrap_err();
        assert_eq!(
            e,
            "a (frames 0..6) and b (frames 4..10) overlap in frames 4..6"
        );
        let e = order(vec![part("a", 0, 10, 10), part("a2", 0, 10, 10)]).unwrap_err();
        assert!(e.contains("overlap in frames 0..10"), "{e}");
    }

    #[test]
    fn parts_of_different_renders_are_refused() {
        let e = order(vec![part("a", 0, 5, 10), part("b", 5, 12, 12)]).unwrap_err();
        assert!(
            e.contains("different renders") && e.contains("12 frames"),
            "{e}"
        );
        let mut c = part("c", 5, 10, 10);
        c.stamp.fps_num = 30;
        let e = order(vec![part("a", 0, 5, 10), c]).unwrap_err();
        assert!(e.contains("30/1 fps"), "{e}");
    }
}
