//! Reading a request's address: its path, its query values, and the time and size of
//! a frame, refused when absurd.

use crate::base::frame::Size;

/// The path and the decoded `name=value` pairs of a request's address.
pub struct Query {
    pub path: String,
    pairs: Vec<(String, String)>,
}

impl Query {
    pub fn parse(url: &str) -> Query {
        let (path, query) = url.split_once('?').unwrap_or((url, ""));
        let pairs = query
            .split('&')
            .filter(|p| !p.is_empty())
            .map(|p| {
                let (k, v) = p.split_once('=').unwrap_or((p, ""));
                (decode(k), decode(v))
            })
            .collect();
        Query {
            path: path.to_string(),
            pairs,
        }
    }

    pub fn get(&self, name: &str) -> Option<&str> {
        self.pairs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

/// Percent-decoding (`+` is a space); a broken escape stays as written.
fn decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() => match (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                (Some(hi), Some(lo)) => {
                    out.push(hi * 16 + lo);
                    i += 2;
                }
                _ => out.push(b'%'),
            },
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn hex(b: u8) -> Option<u8> {
    (b as char).to_digit(16).map(|d| d as u8)
}

/// The time of a frame: a number of seconds from 0 to the scene's duration (or the
/// longest render, for a scene without an end).
pub fn time(raw: Option<&str>, duration: Option<f64>) -> Result<f64, String> {
    let raw = raw.ok_or("give the frame's time: /frame?t=SECONDS")?;
    let t: f64 = raw
        .trim()
        .parse()
        .map_err(|_| format!("t={raw} is not a number of seconds"))?;
    let end = duration.unwrap_or(crate::base::limits::MAX_DURATION);
    if !t.is_finite() || t < 0.0 || t > end + 1e-9 {
        return Err(format!("t={raw} is outside the scene: 0 to {end} s"));
    }
    Ok(t)
}

/// A `WxH` bound from the address, within the limits every size obeys.
pub fn size(raw: &str) -> Result<Size, String> {
    let (w, h) = raw
        .split_once(['x', 'X'])
        .ok_or_else(|| format!("size={raw} is not WxH, e.g. 640x360"))?;
    let (w, h) = match (w.trim().parse(), h.trim().parse()) {
        (Ok(w), Ok(h)) => (w, h),
        _ => return Err(format!("size={raw} is not WxH, e.g. 640x360")),
    };
    crate::base::limits::check_size(w, h).map_err(|e| format!("size={raw}: {e}"))
}

/// The largest size of `full`'s shape within `bound`, never larger than `full`.
pub fn fit(full: Size, bound: Size) -> Size {
    let scale = (bound.w as f64 / full.w as f64)
        .min(bound.h as f64 / full.h as f64)
        .min(1.0);
    Size {
        w: ((full.w as f64 * scale).round() as u32).max(1),
        h: ((full.h as f64 * scale).round() as u32).max(1),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn queries_are_decoded() {
        let q = Query::parse("/frame?t=1%2E5&token=ab&x=%zz+y&flag");
        assert_eq!(q.path, "/frame");
        assert_eq!(q.get("t"), Some("1.5"));
        assert_eq!(q.get("token"), Some("ab"));
        assert_eq!(q.get("x"), Some("%zz y"));
        assert_eq!(q.get("flag"), Some(""));
        assert_eq!(q.get("none"), None);
        assert_eq!(Query::parse("/a?b=%4").get("b"), Some("%4"));
    }

    #[test]
    fn absurd_times_are_refused() {
        assert_eq!(time(Some("0.5"), Some(2.0)), Ok(0.5));
        assert_eq!(time(Some("2"), Some(2.0)), Ok(2.0));
        for bad in ["-1", "NaN", "inf", "1e308", "abc", "2.5"] {
            assert!(time(Some(bad), Some(2.0)).is_err(), "{bad}");
        }
        assert!(time(None, Some(2.0)).is_err());
    }

    #[test]
    fn sizes_fit_without_growing() {
        let s = |w, h| Size { w, h };
        assert_eq!(fit(s(1920, 1080), s(960, 540)), s(960, 540));
        assert_eq!(fit(s(1000, 1000), s(960, 540)), s(540, 540));
        assert_eq!(fit(s(320, 200), s(960, 540)), s(320, 200));
        assert!(size("100000x100000").is_err());
        assert!(size("0x10").is_err());
        assert_eq!(size("64x32"), Ok(s(64, 32)));
    }
}
