//! CSV bytes → the numeric columns a plot series asks for by name.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(cols) = animate::data::csv::parse(data, "in.csv", &["x", "y", "day"]) {
        assert_eq!(cols.columns.len(), 3);
        assert!(cols.columns.iter().all(|c| c.len() == cols.rows()));
    }
});
