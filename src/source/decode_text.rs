//! Decoders' error texts in plain words. The `png` crate writes parts of its errors
//! with Rust's debug formatting (`ChunkType { type: IHDR, critical: true, … }`,
//! `BadCodeLengthHuffmanTree`), `image` names formats by their enum variant
//! (`Format error decoding Png`) and `image-webp` prints bytes as lists: none of that
//! is meant for the person whose file is damaged, so every decoder's text goes
//! through [`plain`] before it reaches a message.

/// The text of a decoder's error as a clause that follows "… is corrupt or
/// unreadable: ": debug formatting rewritten or dropped, the first letter small.
pub fn plain(text: &str) -> String {
    let text = text.trim();
    let text = without_format_prefix(text);
    if let Some(said) = known(text) {
        return said;
    }
    let text = chunk_types_named(text);
    let text = without_byte_lists(&text);
    let text = without_braces(&text);
    let text = without_options(&text);
    let words: Vec<String> = text.split(' ').map(camel_case_split).collect();
    let text = words.join(" ");
    let text = text.trim().trim_end_matches('.').trim();
    if text.is_empty() {
        return "its data is damaged".into();
    }
    small_first(text)
}

/// `image` puts "Format error decoding Png: " (the variant's name) before the
/// decoder's own text; the message already names the file.
fn without_format_prefix(text: &str) -> &str {
    for prefix in ["Format error decoding ", "Decoding error: "] {
        if let Some(rest) = text.strip_prefix(prefix) {
            return match rest.split_once(": ") {
                Some((_, inner)) => inner,
                // "Format error decoding Png" alone says nothing more than "corrupt".
                None if !rest.contains(' ') => "",
                None => rest,
            };
        }
    }
    text
}

/// The messages users meet most, said in full sentences.
fn known(text: &str) -> Option<String> {
    let lower = text.to_ascii_lowercase();
    if lower.starts_with("crc error") {
        return Some(match chunk_name(text) {
            Some(name) => format!("the checksum of its {name} chunk does not match its data"),
            None => "the checksum of one of its chunks does not match its data".into(),
        });
    }
    if lower.starts_with("corrupt deflate stream") || lower.starts_with("invalid code in lzw") {
        return Some("its compressed picture data is damaged".into());
    }
    if lower.starts_with("chunk length wrong") {
        return Some(match chunk_name(text) {
            Some(name) => format!("its {name} chunk has the wrong length"),
            None => "one of its chunks has the wrong length".into(),
        });
    }
    if lower.starts_with("unrecognized critical chunk") {
        return Some(match chunk_name(text) {
            Some(name) => format!("it has a chunk no PNG may have ({name})"),
            None => "it has a chunk no PNG may have".into(),
        });
    }
    if lower.contains("unexpected end of file")
        || lower.contains("image truncated")
        || lower.contains("not enough bytes")
    {
        return Some("it ends too early".into());
    }
    if lower.contains("appeared before ihdr") {
        return Some("it does not start with its IHDR chunk (its header)".into());
    }
    if lower.starts_with("invalid color/depth combination") {
        return Some("its header gives a colour type and bit depth that do not go together".into());
    }
    if lower.starts_with("invalid sbit") || lower.starts_with("the size of the sbit chunk") {
        return Some("its sBIT chunk is invalid".into());
    }
    None
}

/// The name inside the first `ChunkType { type: NAME, … }` of `text`, a byte that is
/// not a letter (written as an escape, `\u{13}`) shown as `?`.
fn chunk_name(text: &str) -> Option<String> {
    let start = text.find("type: ")? + "type: ".len();
    let rest = &text[start..];
    let written = &rest[..rest.find(", ").unwrap_or(rest.len())];
    let mut name = String::new();
    let mut chars = written.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            // `\u{…}` or a one-letter escape: one byte either way.
            if chars.next() == Some('u') {
                chars.by_ref().find(|&c| c == '}');
            }
            name.push('?');
        } else {
            name.push(if c.is_ascii_alphabetic() { c } else { '?' });
        }
    }
    Some(name)
}

/// Every `ChunkType { type: NAME, … }` replaced by its name.
fn chunk_types_named(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(at) = rest.find("ChunkType {") {
        out.push_str(&rest[..at]);
        let after = &rest[at..];
        // Its fields end with " }"; a damaged name holds braces of its own (`\u{13}`).
        let end = after.find(" }").map_or(after.len(), |e| e + 2);
        out.push_str(&chunk_name(&after[..end]).unwrap_or_else(|| "?".into()));
        rest = &after[end..];
    }
    out.push_str(rest);
    out
}

/// Lists of bytes (`: [c, 50, 38, 20]`, in hexadecimal without `0x`) dropped with
/// the colon before them, since the sentence before says what was wrong; a list of
/// decimal numbers (`[1, 2, 3]`) written out as "1, 2 or 3".
fn without_byte_lists(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(open) = rest.find('[') {
        let Some(close) = rest[open..].find(']').map(|c| open + c) else {
            break;
        };
        let items: Vec<&str> = rest[open + 1..close].split(',').map(str::trim).collect();
        let decimal = items
            .iter()
            .all(|i| !i.is_empty() && i.bytes().all(|b| b.is_ascii_digit()));
        if decimal {
            out.push_str(&rest[..open]);
            out.push_str(&numbers(&items));
        } else {
            let before = rest[..open].trim_end().trim_end_matches(':');
            out.push_str(before.trim_end());
        }
        rest = &rest[close + 1..];
    }
    out.push_str(rest);
    out.replace("one one of", "one of")
}

/// A list of numbers in words: `1, 2 or 3`; one number repeated, once with its count
/// (a TIFF of 255 samples of 8 bits: `8 (255 times)`, not 255 eights); a long list of
/// others cut short in the middle.
fn numbers(items: &[&str]) -> String {
    match items {
        [] => String::new(),
        [one] => one.to_string(),
        [first, ..] if items.len() > 3 && items.iter().all(|i| i == first) => {
            format!("{first} ({} times)", items.len())
        }
        [head @ .., last] if items.len() <= 9 => format!("{} or {last}", head.join(", ")),
        _ => crate::base::listing::joined(items, ", "),
    }
}

/// Whatever is still between braces (a struct's fields) dropped.
fn without_braces(text: &str) -> String {
    let mut out = String::new();
    let mut depth = 0usize;
    for c in text.chars() {
        match c {
            '{' => depth += 1,
            '}' => depth = depth.saturating_sub(1),
            _ if depth == 0 => out.push(c),
            _ => {}
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// `Some(x)` as `x`; `None` as "none".
fn without_options(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(at) = rest.find("Some(") {
        out.push_str(&rest[..at]);
        let inner = &rest[at + "Some(".len()..];
        let end = inner.find(')').unwrap_or(inner.len());
        out.push_str(&inner[..end]);
        rest = inner.get(end + 1..).unwrap_or("");
    }
    out.push_str(rest);
    out.replace("None", "none")
}

/// An enum variant's name (`DistanceTooFarBack`, every capital followed by a small
/// letter) as words ("distance too far back"); other words (`WebP`, a chunk's name
/// such as `fdAT`, `IDAT`) are kept.
fn camel_case_split(word: &str) -> String {
    let core = word.trim_matches(|c: char| !c.is_ascii_alphanumeric());
    let b = core.as_bytes();
    let capitals_lead_words = b.iter().enumerate().all(|(i, c)| {
        !c.is_ascii_uppercase() || b.get(i + 1).is_some_and(|n| n.is_ascii_lowercase())
    });
    let humps = b
        .windows(2)
        .filter(|w| w[0].is_ascii_lowercase() && w[1].is_ascii_uppercase())
        .count();
    if humps == 0 || !capitals_lead_words || !b.iter().all(|c| c.is_ascii_alphanumeric()) {
        return word.to_string();
    }
    let mut words = String::new();
    let mut prev_lower = false;
    for c in core.chars() {
        if c.is_ascii_uppercase() && prev_lower {
            words.push(' ');
        }
        prev_lower = c.is_ascii_lowercase();
        words.push(c.to_ascii_lowercase());
    }
    word.replacen(core, &words, 1)
}

/// The first letter small, unless the first word is in capitals (`IDAT or fdAT …`).
fn small_first(text: &str) -> String {
    let mut chars = text.chars();
    match (chars.next(), chars.next()) {
        (Some(a), Some(b)) if a.is_uppercase() && !b.is_uppercase() => a
            .to_lowercase()
            .chain(text[a.len_utf8()..].chars())
            .collect(),
        _ => text.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::plain;

    /// Whether `text` shows Rust's debug formatting.
    fn looks_like_debug(text: &str) -> bool {
        text.contains(['{', '}', '[', ']'])
            || text.contains("Some(")
            || text.contains("\\u")
            || text.split(' ').any(|w| {
                let w = w.trim_matches(|c: char| !c.is_ascii_alphanumeric());
                w.chars().skip(1).any(|c| c.is_ascii_uppercase())
                    && w.chars().any(|c| c.is_ascii_lowercase())
                    && w != "WebP"
                    // A PNG chunk's name (fdAT, tEXt) is four letters of mixed case.
                    && !(w.len() == 4 && w.chars().all(|c| c.is_ascii_alphabetic()))
            })
    }

    #[test]
    fn png_crate_errors_read_as_sentences() {
        let chunk = |t: &str| {
            format!("ChunkType {{ type: {t}, critical: true, private: false, reserved: false, safecopy: false }}")
        };
        let cases = [
            (
                format!("Format error decoding Png: CRC error: expected 0xc40fbe8b have 0x581614b while decoding {} chunk.", chunk("IHDR")),
                "the checksum of its IHDR chunk does not match its data",
            ),
            (
                "Format error decoding Png: Corrupt deflate stream. BadCodeLengthHuffmanTree".into(),
                "its compressed picture data is damaged",
            ),
            (
                format!("Chunk length wrong: {}", chunk("IHDR")),
                "its IHDR chunk has the wrong length",
            ),
            (
                format!("Unrecognized critical chunk: {}", chunk("IDA\\u{e}")),
                "it has a chunk no PNG may have (IDA?)",
            ),
            (
                format!("{} chunk appeared before IHDR chunk", chunk("\\u{13}HDR")),
                "it does not start with its IHDR chunk (its header)",
            ),
            (
                format!("Chunk {} is invalid after IDAT chunk.", chunk("\\u{13}HDR")),
                "chunk ?HDR is invalid after IDAT chunk",
            ),
            (
                format!("Unexpected restart of {} chunk sequence", chunk("fdAT")),
                "unexpected restart of fdAT chunk sequence",
            ),
            (
                "Format error decoding WebP: Invalid VP8 magic: [9d, 5b, 2a]".into(),
                "invalid VP8 magic",
            ),
            (
                "Format error decoding Gif: invalid code in LZW stream".into(),
                "its compressed picture data is damaged",
            ),
            ("Unexpected End of File".into(), "it ends too early"),
            ("Format error decoding Png".into(), "its data is damaged"),
            (
                "Invalid color/depth combination in header: Rgba/Sixteen".into(),
                "its header gives a colour type and bit depth that do not go together",
            ),
            (
                "Transparency chunk found for color type GrayscaleAlpha.".into(),
                "transparency chunk found for color type grayscale alpha",
            ),
            (
                "IDAT or fDAT chunk does not have enough data for image.".into(),
                "IDAT or fDAT chunk does not have enough data for image",
            ),
            (
                "Invalid component id 89, expected one one of [1, 2, 3]".into(),
                "invalid component id 89, expected one of 1, 2 or 3",
            ),
        ];
        for (text, want) in cases {
            let got = plain(&text);
            assert_eq!(got, want, "from {text:?}");
            assert!(!looks_like_debug(&got), "{got:?}");
        }
    }

    /// A TIFF page of 255 samples of 8 bits (findings6, cosmetic): one 8 and a count,
    /// not 255 of them; a long list of different numbers shows its ends.
    #[test]
    fn long_lists_of_numbers_are_cut_short() {
        let eights = vec!["8"; 255].join(", ");
        let long: Vec<String> = (0..40).map(|i| i.to_string()).collect();
        let cases = [
            (
                format!("photometric interpretation RGB with bits per sample [{eights}]"),
                "photometric interpretation RGB with bits per sample 8 (255 times)".to_string(),
            ),
            ("bits [8, 8, 8]".to_string(), "bits 8, 8 or 8".to_string()),
            (
                format!("one of [{}]", long.join(", ")),
                "one of 0, 1, 2, 3, 4, … 32 more …, 37, 38, 39".to_string(),
            ),
        ];
        for (text, want) in cases {
            let got = plain(&text);
            assert_eq!(got, want, "from {text:?}");
            assert!(!looks_like_debug(&got), "{got:?}");
        }
    }
}
