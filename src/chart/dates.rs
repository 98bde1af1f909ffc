//! Ticks of a date axis: matplotlib's `AutoDateLocator` (with its default
//! `interval_multiples`) and the labels of its `ConciseDateFormatter`, so a date axis
//! here reads like one there. Values are days since 1970 ([`crate::data::dates`]).
//!
//! Spans under 5 seconds tick every second (matplotlib switches to microseconds).

use crate::data::date_format::DateFormat;
use crate::data::dates::{Civil, DAY};

/// The units a date axis may tick in, coarsest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Freq {
    Year,
    Month,
    Day,
    Hour,
    Minute,
    Second,
}

const FREQS: [Freq; 6] = [
    Freq::Year,
    Freq::Month,
    Freq::Day,
    Freq::Hour,
    Freq::Minute,
    Freq::Second,
];

/// `AutoDateLocator.minticks`.
const MIN_TICKS: i64 = 5;

impl Freq {
    /// `AutoDateLocator.maxticks`.
    fn max_ticks(self) -> i64 {
        match self {
            Freq::Month | Freq::Hour => 12,
            _ => 11,
        }
    }

    /// `AutoDateLocator.intervald`, days as with `interval_multiples` (4 for 3, which
    /// would tick the 31st and then the 1st).
    fn intervals(self) -> &'static [i64] {
        match self {
            Freq::Year => &[
                1, 2, 4, 5, 10, 20, 40, 50, 100, 200, 400, 500, 1000, 2000, 4000, 5000, 10000,
            ],
            Freq::Month => &[1, 2, 3, 4, 6],
            Freq::Day => &[1, 2, 4, 7, 14],
            Freq::Hour => &[1, 2, 3, 4, 6, 12],
            Freq::Minute | Freq::Second => &[1, 5, 10, 15, 30],
        }
    }

    /// The values this unit's field takes (months and days from 1).
    fn range(self) -> std::ops::Range<u32> {
        match self {
            Freq::Year => 0..0,
            Freq::Month => 1..13,
            Freq::Day => 1..32,
            Freq::Hour => 0..24,
            Freq::Minute | Freq::Second => 0..60,
        }
    }
}

/// Ticks of an axis from `lo` to `hi` (days), labels and the offset text.
#[derive(Debug, Clone, PartialEq)]
pub struct DateTicks {
    /// Positions in days; may reach past the limits, as matplotlib's do.
    pub ticks: Vec<f64>,
    pub labels: Vec<String>,
    pub offset: String,
}

/// The most candidates looked at: a bound against absurd limits.
const MAX_CANDIDATES: usize = 100_000;

/// What `AutoDateLocator` and `ConciseDateFormatter` show between `lo` and `hi`.
pub fn ticks(lo: f64, hi: f64) -> DateTicks {
    let ok = |v: f64| v.is_finite() && v.abs() < 3.6e6; // ± ~9800 years
    let ticks = if ok(lo) && ok(hi) {
        locate(lo.min(hi), lo.max(hi))
    } else {
        Vec::new()
    };
    let (labels, offset) = concise(&ticks);
    DateTicks {
        ticks,
        labels,
        offset,
    }
}

/// `AutoDateLocator.tick_values`, in days.
fn locate(lo: f64, hi: f64) -> Vec<f64> {
    let s0 = (lo * DAY).round() as i64;
    let s1 = (hi * DAY).round() as i64;
    let a = Civil::from_seconds(s0);
    let b = Civil::from_seconds(s1);
    // relativedelta(b, a): whole months, then the rest as a time span
    let mut months = (b.year - a.year) * 12 + b.month as i64 - a.month as i64;
    if add_months(a, months).seconds() > s1 {
        months -= 1;
    }
    let span = s1 - s0;
    let days = span.div_euclid(86_400);
    let rest = span.rem_euclid(86_400);
    let years = months / 12;
    let hours = days * 24 + rest / 3600;
    let minutes = hours * 60 + rest / 60 % 60;
    let nums = [years, months, days, hours, minutes, span];
    // The first unit with enough ticks, and the step between them.
    let mut chosen = (Freq::Second, 1);
    for (&freq, &num) in FREQS.iter().zip(&nums) {
        if num < MIN_TICKS {
            continue;
        }
        let list = freq.intervals();
        let step = list
            .iter()
            .copied()
            .find(|&i| num <= i * (freq.max_ticks() - 1))
            .unwrap_or(*list.last().unwrap());
        chosen = (freq, step);
        break;
    }
    let (freq, step) = chosen;
    if freq == Freq::Year {
        return years_every(a.year, b.year, step);
    }
    // An rrule of `freq` through the values of its own field that are multiples of
    // the step, the finer fields at their start (day 1, 00:00:00).
    let allowed: Vec<u32> = match (freq, step) {
        (Freq::Day, 7) => vec![1, 8, 15, 22],
        (Freq::Day, 14) => vec![1, 15],
        _ => freq.range().step_by(step as usize).collect(),
    };
    let mut out = Vec::new();
    let mut c = truncate(a, freq);
    for _ in 0..MAX_CANDIDATES {
        let secs = c.seconds();
        if secs > s1 {
            break;
        }
        let field = match freq {
            Freq::Month => c.month,
            Freq::Day => c.day,
            Freq::Hour => c.hour,
            Freq::Minute => c.minute,
            _ => c.second,
        };
        if secs >= s0 && allowed.contains(&field) {
            out.push(secs as f64 / DAY);
        }
        c = next(c, freq);
    }
    out
}

/// `YearLocator(base)`: 1 January of every multiple of `base` from the one at or
/// before `y0` to the one at or after `y1`.
fn years_every(y0: i64, y1: i64, base: i64) -> Vec<f64> {
    let first = y0.div_euclid(base) * base;
    let last = -((-y1).div_euclid(base)) * base;
    (0..)
        .map(|k| first + k * base)
        .take_while(|&y| y <= last)
        .take(MAX_CANDIDATES)
        .map(|year| {
            Civil {
                year,
                month: 1,
                day: 1,
                hour: 0,
                minute: 0,
                second: 0,
            }
            .days()
        })
        .collect()
}

/// `c` with the fields finer than `freq` at their start.
fn truncate(c: Civil, freq: Freq) -> Civil {
    let mut c = c;
    if freq < Freq::Second {
        c.second = 0;
    }
    if freq < Freq::Minute {
        c.minute = 0;
    }
    if freq < Freq::Hour {
        c.hour = 0;
    }
    if freq < Freq::Day {
        c.day = 1;
    }
    c
}

/// The next instant one `freq` later (from a truncated one).
fn next(c: Civil, freq: Freq) -> Civil {
    match freq {
        Freq::Month => add_months(c, 1),
        Freq::Day => Civil::from_seconds(c.seconds() + 86_400),
        Freq::Hour => Civil::from_seconds(c.seconds() + 3600),
        Freq::Minute => Civil::from_seconds(c.seconds() + 60),
        _ => Civil::from_seconds(c.seconds() + 1),
    }
}

/// `c` plus whole months, the day clipped to the month's end (as relativedelta does).
fn add_months(c: Civil, months: i64) -> Civil {
    let m0 = c.year * 12 + c.month as i64 - 1 + months;
    let (year, month) = (m0.div_euclid(12), (m0.rem_euclid(12) + 1) as u32);
    let next_first =
        crate::data::dates::days_from_civil(year + i64::from(month == 12), month % 12 + 1, 1);
    let len = (next_first - crate::data::dates::days_from_civil(year, month, 1)) as u32;
    Civil {
        year,
        month,
        day: c.day.min(len),
        ..c
    }
}

/// `ConciseDateFormatter.format_ticks` with its default formats, and its offset text.
fn concise(ticks: &[f64]) -> (Vec<String>, String) {
    if ticks.is_empty() {
        return (Vec::new(), String::new());
    }
    let cs: Vec<Civil> = ticks
        .iter()
        .map(|&d| Civil::from_seconds((d * DAY).round() as i64))
        .collect();
    let field = |c: &Civil, level: usize| -> i64 {
        match level {
            0 => c.year,
            1 => c.month as i64,
            2 => c.day as i64,
            3 => c.hour as i64,
            4 => c.minute as i64,
            _ => c.second as i64,
        }
    };
    let mut show_offset = true;
    let mut level = 5;
    for l in (0..6).rev() {
        let first = field(&cs[0], l);
        let varies = cs.iter().any(|c| field(c, l) != first);
        if varies {
            if l < 2 && cs.iter().any(|c| field(c, l) == 1) {
                show_offset = false;
            }
            level = l;
            break;
        } else if l == 0 {
            level = 5;
        }
    }
    const ZERO: [i64; 6] = [0, 1, 1, 0, 0, 0];
    let labels = cs
        .iter()
        .map(|c| {
            let zero = if level < 5 {
                field(c, level) == ZERO[level]
            } else {
                c.second == 0
            };
            let fmt = match (level, zero) {
                (0, _) => "%Y",
                (1, true) => "%Y",
                (1, false) => "%b",
                (2, true) => "%b",
                (2, false) => "%d",
                (3, true) => "%b-%d",
                (3, false) | (4, _) => "%H:%M",
                (_, true) => "%H:%M",
                (_, false) => "%S",
            };
            strftime(c, fmt)
        })
        .collect();
    let offset = if show_offset {
        let fmt = ["", "%Y", "%Y-%b", "%Y-%b-%d", "%Y-%b-%d", "%Y-%b-%d %H:%M"][level];
        strftime(cs.last().unwrap(), fmt)
    } else {
        String::new()
    };
    (labels, offset)
}

/// `c` in `fmt`, one of the formatter's own constant formats.
fn strftime(c: &Civil, fmt: &str) -> String {
    DateFormat::parse(fmt)
        .expect("the formatter's formats are valid")
        .format_civil(c)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One line of the fixture: the limits, matplotlib's ticks, labels and offset.
    type Case = (String, String, Vec<f64>, Vec<String>, String);

    /// Cases printed by tests/fixtures/dates/make_fixtures.py from matplotlib:
    /// `START END | tick tick … | label;label;… | offset`.
    fn fixture() -> Vec<Case> {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/dates/date_ticks.txt"
        );
        std::fs::read_to_string(path)
            .unwrap()
            .lines()
            .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
            .map(|l| {
                let parts: Vec<&str> = l.split(" | ").collect();
                let ends: Vec<&str> = parts[0].split_whitespace().collect();
                (
                    ends[0].to_string(),
                    ends[1].to_string(),
                    parts[1]
                        .split_whitespace()
                        .map(|v| v.parse().unwrap())
                        .collect(),
                    parts[2].split(';').map(str::to_string).collect(),
                    parts.get(3).unwrap_or(&"").to_string(),
                )
            })
            .collect()
    }

    #[test]
    fn matplotlibs_ticks_labels_and_offsets() {
        let cases = fixture();
        assert!(cases.len() >= 8, "{} cases", cases.len());
        for (a, b, want, labels, offset) in cases {
            let lo = crate::data::dates::parse(&a).unwrap();
            let hi = crate::data::dates::parse(&b).unwrap();
            let got = ticks(lo, hi);
            let close = got.ticks.len() == want.len()
                && got
                    .ticks
                    .iter()
                    .zip(&want)
                    .all(|(x, y)| (x - y).abs() < 1e-6);
            assert!(close, "{a}..{b}: {:?}, matplotlib {want:?}", got.ticks);
            assert_eq!(got.labels, labels, "{a}..{b}");
            assert_eq!(got.offset, offset.trim(), "{a}..{b}");
        }
    }

    #[test]
    fn absurd_limits_give_no_ticks() {
        assert!(ticks(f64::NAN, 1.0).ticks.is_empty());
        assert!(ticks(-1e300, 1e300).ticks.is_empty());
        // under 5 seconds: a tick a second
        assert_eq!(ticks(0.0, 2.0 / DAY).ticks.len(), 3);
    }
}
