//! The random token every request must carry: another local user or a web page in the
//! browser cannot read the scene or its frames without it.

use std::fmt::Write as _;
use std::hash::{BuildHasher, Hasher};
use std::io::Read;

/// 128 random bits as hex: from the system's generator, else from the standard
/// library's randomly keyed hasher.
pub fn new() -> String {
    let mut bytes = [0u8; 16];
    let from_system = std::fs::File::open("/dev/urandom")
        .and_then(|mut f| f.read_exact(&mut bytes))
        .is_ok();
    if !from_system {
        for (i, chunk) in bytes.chunks_mut(8).enumerate() {
            let mut h = std::collections::hash_map::RandomState::new().build_hasher();
            h.write_usize(i);
            h.write_u128(
                std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .map_or(0, |d| d.as_nanos()),
            );
            chunk.copy_from_slice(&h.finish().to_le_bytes());
        }
    }
    let mut text = String::new();
    for b in bytes {
        let _ = write!(text, "{b:02x}");
    }
    text
}

/// Compares in time independent of where the strings differ.
pub fn matches(given: &str, token: &str) -> bool {
    given.len() == token.len()
        && given
            .bytes()
            .zip(token.bytes())
            .fold(0u8, |acc, (a, b)| acc | (a ^ b))
            == 0
}

#[cfg(test)]
mod tests {
    #[test]
    fn tokens_are_long_and_differ() {
        let (a, b) = (super::new(), super::new());
        assert_eq!(a.len(), 32);
        assert_ne!(a, b);
        assert!(super::matches(&a, &a));
        assert!(!super::matches(&a, &b));
        assert!(!super::matches("", &a));
    }
}
