//! Times and durations as people write them: with a unit (`"2s"`, `"500ms"`,
//! `"1.5min"`, `"1h"`) or as a clock (`"1:30"`, `"0:01:30.5"`), besides plain seconds.
//! Every place a scene or the command line reads a time or a duration goes through
//! [`parse`], so they all accept the same forms and say the same thing when one is
//! wrong.

/// The units a time may carry, with their length in seconds.
const UNITS: &[(&str, f64)] = &[("ms", 0.001), ("s", 1.0), ("min", 60.0), ("h", 3600.0)];

/// What to write instead, for messages.
pub const FORMS: &str =
    "a time is plain seconds (2, 1.5) or a string with a unit (\"2s\", \"500ms\", \"1.5min\", \"1h\") or a clock (\"1:30\", \"0:01:30.5\")";

/// The seconds `text` stands for if it is written as a time with a unit or as a
/// clock; an error if it looks like one but is wrong (`"2 sec"`, `"1:75"`); `None`
/// when it is something else (a plain number, a name, an expression), for the caller
/// to read its own way. A leading `-` is kept (subclip times count from the end).
pub fn parse(text: &str) -> Option<Result<f64, String>> {
    let trimmed = text.trim();
    let (sign, body) = match trimmed.strip_prefix('-') {
        Some(rest) => (-1.0, rest.trim_start()),
        None => (1.0, trimmed),
    };
    let value = if body.contains(':') {
        clock(body, text)?
    } else {
        with_unit(body, text)?
    };
    Some(value.map(|v| sign * v))
}

/// Reads a command-line time: plain seconds or any form [`parse`] reads.
pub fn parse_arg(text: &str) -> Result<f64, String> {
    match parse(text) {
        Some(r) => r,
        None => text
            .trim()
            .parse::<f64>()
            .ok()
            .filter(|v| v.is_finite())
            .ok_or_else(|| format!("`{text}` is not a time: {FORMS}")),
    }
}

/// `h:mm:ss.s` or `m:ss.s`; only digits, one `.` in the last part.
fn clock(body: &str, text: &str) -> Option<Result<f64, String>> {
    if !body
        .chars()
        .all(|c| c.is_ascii_digit() || c == ':' || c == '.')
    {
        return None;
    }
    let parts: Vec<&str> = body.split(':').collect();
    let bad = || {
        Some(Err(format!(
            "`{text}` is not a clock time: write m:ss or h:mm:ss, e.g. \"1:30\" or \"0:01:30.5\""
        )))
    };
    if parts.len() > 3 || parts.iter().any(|p| p.is_empty()) {
        return bad();
    }
    let (last, whole) = parts.split_last().expect("split gives one part at least");
    if whole.iter().any(|p| p.contains('.')) {
        return bad();
    }
    let Ok(seconds) = last.parse::<f64>() else {
        return bad();
    };
    let mut total = 0.0;
    for (i, p) in whole.iter().enumerate() {
        let v: f64 = p.parse().ok()?;
        // The minutes of h:mm:ss stay below 60; the first field may be any size.
        if i > 0 && v >= 60.0 {
            return Some(Err(format!("`{text}`: the minutes must be below 60")));
        }
        total = total * 60.0 + v;
    }
    if seconds >= 60.0 {
        return Some(Err(format!("`{text}`: the seconds must be below 60")));
    }
    Some(Ok(total * 60.0 + seconds))
}

/// A number followed by a unit, with or without a space between: `2s`, `1.5 min`.
fn with_unit(body: &str, text: &str) -> Option<Result<f64, String>> {
    let split = body.find(|c: char| !(c.is_ascii_digit() || c == '.'))?;
    let (number, unit) = (&body[..split], body[split..].trim_start());
    // `pi`, `2 * t`: not a number with a unit, left to the caller.
    if number.is_empty() || unit.is_empty() || !unit.chars().all(|c| c.is_ascii_alphabetic()) {
        return None;
    }
    let Ok(v) = number.parse::<f64>() else {
        return Some(Err(format!("`{number}` in `{text}` is not a number")));
    };
    if FRAME_UNITS.contains(&unit.to_ascii_lowercase().as_str()) {
        return Some(Err(format!(
            "`{text}`: times are in seconds (or with a unit: s, ms, min, h), not in frames"
        )));
    }
    match UNITS.iter().find(|(u, _)| *u == unit) {
        Some((_, scale)) => Some(Ok(v * scale)),
        None => Some(Err(format!(
            "unknown unit `{unit}` in `{text}`: the units are s, ms, min and h (or write plain seconds: {})",
            crate::base::limits::shown(v * guess(unit))
        ))),
    }
}

/// Words for frames, which are not a time until a rate is known.
const FRAME_UNITS: [&str; 4] = ["f", "fr", "frame", "frames"];

/// The count of `"100 frames"` (`"100f"`, `"100 fr"`): a time written in frames, for the
/// caller that knows the rate to give the seconds it means.
pub fn frames_written(text: &str) -> Option<f64> {
    let body = text.trim();
    let split = body.find(|c: char| !(c.is_ascii_digit() || c == '.'))?;
    let (number, unit) = (&body[..split], body[split..].trim_start());
    FRAME_UNITS
        .contains(&unit.to_ascii_lowercase().as_str())
        .then(|| number.parse().ok())
        .flatten()
}

/// The length of a unit someone may have meant, for the plain-seconds suggestion.
fn guess(unit: &str) -> f64 {
    match unit.to_ascii_lowercase().as_str() {
        "sec" | "secs" | "second" | "seconds" => 1.0,
        "m" | "mn" | "mins" | "minute" | "minutes" => 60.0,
        "hr" | "hrs" | "hour" | "hours" => 3600.0,
        "msec" | "millis" | "milliseconds" => 0.001,
        _ => 1.0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(text: &str) -> f64 {
        parse(text)
            .unwrap_or_else(|| panic!("{text}: not a time"))
            .unwrap()
    }

    #[test]
    fn frames_are_not_a_unit_but_are_counted_for_the_hint() {
        let e = parse("100 frames").unwrap().unwrap_err();
        assert!(e.contains("times are in seconds"), "{e}");
        assert!(!e.contains("write plain seconds: 100"), "{e}");
        assert_eq!(frames_written("100 frames"), Some(100.0));
        assert_eq!(frames_written("12f"), Some(12.0));
        assert_eq!(frames_written("2s"), None);
    }

    #[test]
    fn units_and_clocks() {
        assert_eq!(ok("2s"), 2.0);
        assert_eq!(ok("500ms"), 0.5);
        assert_eq!(ok("1.5min"), 90.0);
        assert_eq!(ok("1h"), 3600.0);
        assert_eq!(ok(" 2 s "), 2.0);
        assert_eq!(ok("-2s"), -2.0);
        assert_eq!(ok("1:30"), 90.0);
        assert_eq!(ok("0:01:30.5"), 90.5);
        assert_eq!(ok("90:00"), 5400.0);
    }

    #[test]
    fn other_strings_are_left_alone() {
        for text in [
            "2",
            "1.5",
            "pi",
            "2 * t",
            "speed",
            "duration - 1",
            "",
            "t/2s",
        ] {
            assert!(parse(text).is_none(), "{text}");
        }
    }

    #[test]
    fn wrong_times_say_what_to_write() {
        let e = parse("2 sec").unwrap().unwrap_err();
        assert!(
            e.contains("unknown unit `sec`") && e.contains("plain seconds: 2"),
            "{e}"
        );
        let e = parse("3m").unwrap().unwrap_err();
        assert!(e.contains("plain seconds: 180"), "{e}");
        assert!(parse("1:75")
            .unwrap()
            .unwrap_err()
            .contains("seconds must be below 60"));
        assert!(parse("1:60:00")
            .unwrap()
            .unwrap_err()
            .contains("minutes must be below 60"));
        assert!(parse("1::2")
            .unwrap()
            .unwrap_err()
            .contains("m:ss or h:mm:ss"));
        assert!(parse("1.5:20").unwrap().is_err());
        assert!(parse("1.2.3s")
            .unwrap()
            .unwrap_err()
            .contains("is not a number"));
    }

    #[test]
    fn command_line_times() {
        assert_eq!(parse_arg("2.5"), Ok(2.5));
        assert_eq!(parse_arg("1:30"), Ok(90.0));
        assert!(parse_arg("soon").unwrap_err().contains("is not a time"));
        assert!(parse_arg("inf").is_err());
    }
}
