//! Dates and times as plots hold them: days since 1970-01-01 00:00 UTC as `f64`, the
//! number matplotlib's `date2num` gives, so a date axis here ticks where its would.
//!
//! ISO 8601 text is read by `jiff` (a well-kept crate, small with default features
//! off): `2024-01-01`, `2024-01-01T12:00`, with or without seconds and fractions, and
//! with a zone offset (`Z`, `+02:00`) or without one (read as UTC, as matplotlib does).
//! Calendar arithmetic on the numbers is the proleptic Gregorian one, here.

use std::ops::Range;

/// Seconds in a day.
pub const DAY: f64 = 86_400.0;

/// The day number of ISO 8601 `text`, or `None` if it is not a date.
pub fn parse(text: &str) -> Option<f64> {
    let text = text.trim();
    // A bare number is never a date (`2024` reads as a number first).
    if !text.contains('-') {
        return None;
    }
    if let Ok(ts) = text.parse::<jiff::Timestamp>() {
        return Some(ts.as_microsecond() as f64 / (DAY * 1e6));
    }
    let dt = text.parse::<jiff::civil::DateTime>().ok()?;
    let (d, t) = (dt.date(), dt.time());
    let days = days_from_civil(d.year() as i64, d.month() as u32, d.day() as u32) as f64;
    let secs = t.hour() as f64 * 3600.0
        + t.minute() as f64 * 60.0
        + t.second() as f64
        + t.subsec_nanosecond() as f64 * 1e-9;
    Some(days + secs / DAY)
}

/// A calendar instant, to the second.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Civil {
    pub year: i64,
    pub month: u32,
    pub day: u32,
    pub hour: u32,
    pub minute: u32,
    pub second: u32,
}

impl Civil {
    /// The instant `secs` seconds after the epoch.
    pub fn from_seconds(secs: i64) -> Civil {
        let days = secs.div_euclid(86_400);
        let rest = secs.rem_euclid(86_400) as u32;
        let (year, month, day) = civil_from_days(days);
        Civil {
            year,
            month,
            day,
            hour: rest / 3600,
            minute: rest / 60 % 60,
            second: rest % 60,
        }
    }

    /// Seconds after the epoch.
    pub fn seconds(&self) -> i64 {
        days_from_civil(self.year, self.month, self.day) * 86_400
            + (self.hour * 3600 + self.minute * 60 + self.second) as i64
    }

    /// Days after the epoch, as plots hold dates.
    pub fn days(&self) -> f64 {
        self.seconds() as f64 / DAY
    }
}

/// Days from 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's algorithm).
pub fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = m as i64;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The date `days` days after 1970-01-01.
pub fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

/// `2024-1-5` as `2024-01-05`, the form the ISO parser reads.
pub fn padded(date: &str) -> String {
    let mut parts = date.split('-');
    let mut next = || parts.next().unwrap_or_default();
    let (y, m, d) = (next(), next(), next());
    format!("{y}-{m:0>2}-{d:0>2}")
}

/// The byte ranges of what reads as a date in an expression (`x >= 2024-02-01`): 4 digits, `-`, 1 or 2
/// digits, `-`, 1 or 2 digits, with no space and not inside a longer number or name.
pub fn literals(text: &str) -> Vec<Range<usize>> {
    let b = text.as_bytes();
    let digits = |i: usize, min: usize, max: usize| -> usize {
        let n = b[i.min(b.len())..]
            .iter()
            .take_while(|c| c.is_ascii_digit())
            .count();
        if (min..=max).contains(&n) {
            n
        } else {
            0
        }
    };
    let mut out = Vec::new();
    let mut i = 0;
    while i + 8 <= b.len() {
        let glued =
            i > 0 && (b[i - 1].is_ascii_alphanumeric() || b[i - 1] == b'_' || b[i - 1] == b'.');
        if !glued && digits(i, 4, 4) == 4 && b.get(i + 4) == Some(&b'-') {
            let m = digits(i + 5, 1, 2);
            if m > 0 && b.get(i + 5 + m) == Some(&b'-') {
                let d = digits(i + 6 + m, 1, 2);
                if d > 0 {
                    let end = i + 6 + m + d;
                    out.push(i..end);
                    i = end;
                    continue;
                }
            }
        }
        i += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_in_expressions_are_found_not_numbers_or_names() {
        let t = "x >= 2024-01-15 && x < 2024-2-1";
        let found: Vec<&str> = literals(t).iter().map(|r| &t[r.clone()]).collect();
        assert_eq!(found, ["2024-01-15", "2024-2-1"]);
        assert!(literals("2024 - 1 - 15").is_empty());
        assert!(literals("12024-01-15").is_empty());
        assert!(literals("a2024-01-15").is_empty());
        assert!(literals("x - 1 - 2").is_empty());
    }

    #[test]
    fn iso_forms() {
        assert_eq!(parse("1970-01-01"), Some(0.0));
        assert_eq!(parse("2024-01-01"), Some(19723.0));
        assert_eq!(parse("2024-01-01T12:00"), Some(19723.5));
        assert_eq!(parse("2024-01-01T12:00:00"), Some(19723.5));
        assert_eq!(parse("2024-01-01 06:00"), Some(19723.25));
        assert_eq!(parse("2024-01-01T12:00Z"), Some(19723.5));
        assert_eq!(parse("2024-01-01T14:00+02:00"), Some(19723.5));
        assert_eq!(parse(" 2024-01-01T12:00:30.5 "), Some(19723.5 + 30.5 / DAY));
        for bad in ["2024", "2024-13-01", "2024-02-30", "yesterday", "", "12:00"] {
            assert_eq!(parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn civil_round_trip() {
        for days in [-800_000, -1, 0, 59, 60, 19723, 2_932_896] {
            let (y, m, d) = civil_from_days(days);
            assert_eq!(days_from_civil(y, m, d), days);
        }
        assert_eq!(civil_from_days(19723), (2024, 1, 1));
        let c = Civil::from_seconds(19723 * 86_400 + 3723);
        assert_eq!((c.hour, c.minute, c.second), (1, 2, 3));
        assert_eq!(c.seconds(), 19723 * 86_400 + 3723);
    }
}
