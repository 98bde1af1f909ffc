//! Dates written out with `strftime` directives (`%Y-%m-%d`, `%d %b %Y`, `%H:%M`), as
//! Python's `f"{when:%d %b}"` writes a `datetime`: a placeholder's date format, and
//! the date axis's own labels.
//!
//! The value is a day number (days since 1970-01-01 UTC, as plots hold dates and
//! matplotlib's `date2num` gives), cut to the whole second below it, as a clock shows.

use std::fmt::Write;
use std::ops::Range;

use super::dates::Civil;
use crate::expr::ExprError;

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];
const WEEKDAYS: [&str; 7] = [
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];

/// The day numbers a date format writes as a date: years 1 to 9999, as Python's
/// `datetime` holds. Others are written as numbers, so that a runaway value shows.
const DAYS: Range<f64> = -719_162.0..2_932_897.0;

/// The directives, with what each writes, for messages.
const DIRECTIVES: &str = "%Y year, %y year in 2 digits, %m month 01-12, %B month name, \
                          %b its 3 letters, %d day 01-31, %e day with a space, %j day of the \
                          year, %A weekday, %a its 3 letters, %H hour 00-23, %I hour 01-12, \
                          %p AM/PM, %M minute, %S second, %% a percent sign";

/// One part of a format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Item {
    /// Text written as it is: a byte range of the format.
    Text(usize, usize),
    Year,
    ShortYear,
    Month,
    MonthName,
    MonthShort,
    Day,
    DaySpace,
    DayOfYear,
    Weekday,
    WeekdayShort,
    Hour,
    Hour12,
    AmPm,
    Minute,
    Second,
    Percent,
}

/// A parsed date format.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DateFormat {
    src: String,
    items: Vec<Item>,
}

impl DateFormat {
    /// Parses `src` (`%d %b %Y`); error positions are byte ranges of `src`.
    pub fn parse(src: &str) -> Result<DateFormat, ExprError> {
        let mut items = Vec::new();
        let mut text_from = 0;
        let mut chars = src.char_indices().peekable();
        while let Some((i, c)) = chars.next() {
            if c != '%' {
                continue;
            }
            if text_from < i {
                items.push(Item::Text(text_from, i));
            }
            let Some((j, d)) = chars.next() else {
                return Err(
                    ExprError::new("`%` must be followed by a directive", i..i + 1)
                        .with_hint(DIRECTIVES),
                );
            };
            items.push(match d {
                'Y' => Item::Year,
                'y' => Item::ShortYear,
                'm' => Item::Month,
                'B' => Item::MonthName,
                'b' | 'h' => Item::MonthShort,
                'd' => Item::Day,
                'e' => Item::DaySpace,
                'j' => Item::DayOfYear,
                'A' => Item::Weekday,
                'a' => Item::WeekdayShort,
                'H' => Item::Hour,
                'I' => Item::Hour12,
                'p' => Item::AmPm,
                'M' => Item::Minute,
                'S' => Item::Second,
                '%' => Item::Percent,
                _ => {
                    return Err(ExprError::new(
                        format!("`%{d}` is not a date directive here"),
                        i..j + d.len_utf8(),
                    )
                    .with_hint(DIRECTIVES))
                }
            });
            text_from = j + d.len_utf8();
        }
        if text_from < src.len() {
            items.push(Item::Text(text_from, src.len()));
        }
        Ok(DateFormat {
            src: src.to_string(),
            items,
        })
    }

    /// Appends day number `days` written in this format to `out`: `nan`, `inf` and
    /// days outside years 1–9999 as numbers.
    pub fn write(&self, days: f64, out: &mut String) {
        if !DAYS.contains(&days) {
            if days.is_nan() {
                out.push_str("nan");
            } else if days.is_infinite() {
                out.push_str(if days < 0.0 { "-inf" } else { "inf" });
            } else {
                let _ = write!(out, "{days:e}");
            }
            return;
        }
        // Whole seconds below, as a clock shows: 23:59:59.9 is still 23:59:59. A
        // tolerance of a microsecond keeps `2024-01-01 + 12/24` at 12:00:00.
        let secs = (days * 86_400.0 + 1e-6).floor() as i64;
        self.write_civil(&Civil::from_seconds(secs), out);
    }

    /// Appends instant `c` written in this format to `out`.
    pub fn write_civil(&self, c: &Civil, out: &mut String) {
        let day_number = super::dates::days_from_civil(c.year, c.month, c.day);
        for item in &self.items {
            let _ = match *item {
                Item::Text(a, b) => {
                    out.push_str(&self.src[a..b]);
                    Ok(())
                }
                Item::Year => write!(out, "{:04}", c.year),
                Item::ShortYear => write!(out, "{:02}", c.year.rem_euclid(100)),
                Item::Month => write!(out, "{:02}", c.month),
                Item::MonthName => write!(out, "{}", MONTHS[c.month as usize - 1]),
                Item::MonthShort => write!(out, "{}", &MONTHS[c.month as usize - 1][..3]),
                Item::Day => write!(out, "{:02}", c.day),
                Item::DaySpace => write!(out, "{:>2}", c.day),
                Item::DayOfYear => {
                    let first = super::dates::days_from_civil(c.year, 1, 1);
                    write!(out, "{:03}", day_number - first + 1)
                }
                Item::Weekday => write!(out, "{}", WEEKDAYS[weekday(day_number)]),
                Item::WeekdayShort => write!(out, "{}", &WEEKDAYS[weekday(day_number)][..3]),
                Item::Hour => write!(out, "{:02}", c.hour),
                Item::Hour12 => write!(out, "{:02}", (c.hour + 11) % 12 + 1),
                Item::AmPm => write!(out, "{}", if c.hour < 12 { "AM" } else { "PM" }),
                Item::Minute => write!(out, "{:02}", c.minute),
                Item::Second => write!(out, "{:02}", c.second),
                Item::Percent => write!(out, "%"),
            };
        }
    }

    /// The text of `days` in this format.
    pub fn format(&self, days: f64) -> String {
        let mut s = String::new();
        self.write(days, &mut s);
        s
    }

    /// The text of instant `c` in this format.
    pub fn format_civil(&self, c: &Civil) -> String {
        let mut s = String::new();
        self.write_civil(c, &mut s);
        s
    }
}

/// Monday 0 … Sunday 6 of day number `days` (1970-01-01 was a Thursday).
fn weekday(days: i64) -> usize {
    (days + 3).rem_euclid(7) as usize
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::dates::parse;

    fn fmt(f: &str, date: &str) -> String {
        DateFormat::parse(f).unwrap().format(parse(date).unwrap())
    }

    #[test]
    fn writes_as_python_strftime() {
        // As Python writes them (datetime(2024, 2, 29, 13, 5, 9).strftime(...)); for year
        // 1, glibc's strftime writes `1`, Python on other systems `0001`, as here
        let when = "2024-02-29T13:05:09";
        assert_eq!(fmt("%Y-%m-%d %H:%M:%S", when), "2024-02-29 13:05:09");
        assert_eq!(fmt("%d %b %Y", when), "29 Feb 2024");
        assert_eq!(fmt("%A %d %B", when), "Thursday 29 February");
        assert_eq!(fmt("%a %e %h %y", "2024-03-05"), "Tue  5 Mar 24");
        assert_eq!(fmt("%j", when), "060");
        assert_eq!(fmt("%j", "2023-12-31"), "365");
        assert_eq!(fmt("%I:%M %p", when), "01:05 PM");
        assert_eq!(fmt("%I %p", "2024-01-01T00:30"), "12 AM");
        assert_eq!(fmt("%I %p", "2024-01-01T12:00"), "12 PM");
        assert_eq!(fmt("100%% on %d.%m.", when), "100% on 29.02.");
        assert_eq!(fmt("%A", "1970-01-01"), "Thursday");
        assert_eq!(fmt("%A %Y", "1969-12-31"), "Wednesday 1969");
        assert_eq!(fmt("%Y-%m-%d", "0001-01-01"), "0001-01-01");
        assert_eq!(fmt("%Y-%m-%d", "9999-12-31"), "9999-12-31");
    }

    #[test]
    fn a_clock_shows_whole_seconds_below() {
        let f = DateFormat::parse("%H:%M:%S").unwrap();
        let noon = parse("2024-01-01").unwrap() + 12.0 / 24.0;
        assert_eq!(f.format(noon), "12:00:00");
        assert_eq!(f.format(noon - 0.4 / 86_400.0), "11:59:59");
    }

    #[test]
    fn values_that_are_no_date_are_numbers() {
        let f = DateFormat::parse("%Y").unwrap();
        assert_eq!(f.format(f64::NAN), "nan");
        assert_eq!(f.format(f64::NEG_INFINITY), "-inf");
        assert_eq!(f.format(1e300), "1e300");
        assert_eq!(f.format(-1e7), "-1e7");
    }

    #[test]
    fn unknown_directives_are_placed() {
        let e = DateFormat::parse("%d %q").unwrap_err();
        assert_eq!(
            (e.message.as_str(), e.at),
            ("`%q` is not a date directive here", 3..5)
        );
        let e = DateFormat::parse("%Y %").unwrap_err();
        assert_eq!(e.at, 3..4);
        assert!(DateFormat::parse("%d é %ü").unwrap_err().at == (6..9));
    }
}
