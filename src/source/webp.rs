//! Animated WebP files, played as a GIF is: each frame as the decoder composites it on
//! the canvas, shown for its own delay, decoded once at load within the GIF limits.
//! A WebP without animation is a still picture (`super::still`).
//!
//! Read through `image-webp` directly: `image` decodes only a WebP's still picture.

use std::io::BufReader;
use std::path::Path;

use image_webp::{DecodingError, WebPDecoder};

use super::gif::{shown_ms, Gif, Timeline};

/// Whether the WebP at `path` is animated (its extended header says so). A file that
/// cannot be read says no, and is then refused as a still picture, with the reason.
pub fn is_animated(path: &Path) -> bool {
    let Ok(file) = crate::base::input::open(path) else {
        return false;
    };
    let animated = || Ok(WebPDecoder::new(BufReader::new(file)).is_ok_and(|d| d.is_animated()));
    crate::base::guard::decoding(path.display(), animated).unwrap_or(false)
}

/// Decodes every frame of the animated WebP at `path`, its distinct frames taking at
/// most `room` bytes (what the scene's memory budget has left).
pub fn open(path: &Path, room: u64) -> Result<Gif, String> {
    crate::base::guard::decoding(path.display(), || open_unguarded(path, room))
}

fn open_unguarded(path: &Path, room: u64) -> Result<Gif, String> {
    let corrupt = |e: &DecodingError| {
        format!(
            "{} is corrupt or unreadable: {}",
            path.display(),
            super::decode_text::plain(&e.to_string())
        )
    };
    let file = crate::base::input::open(path)?;
    let mut decoder = WebPDecoder::new(BufReader::new(file)).map_err(|e| corrupt(&e))?;
    if !decoder.is_animated() {
        return Err(format!("{} is not an animated WebP", path.display()));
    }
    let (w, h) = decoder.dimensions();
    let size =
        crate::base::limits::check_size(w, h).map_err(|m| format!("{}: {m}", path.display()))?;
    let frame_bytes = super::gif::frame_budget(path, size, "animation")?;
    let count = u64::from(decoder.num_frames());
    super::gif::check_decode_work(path, count, frame_bytes, (w, h))?;
    decoder.set_memory_limit(super::decode::MAX_PICTURE_BYTES as usize);
    // The canvas starts transparent and a disposed frame clears to transparent, as
    // browsers show it (the file's background colour is only a hint, which they ignore).
    decoder
        .set_background_color([0, 0, 0, 0])
        .map_err(|e| corrupt(&e))?;
    let alpha = decoder.has_alpha();
    let len = decoder
        .output_buffer_size()
        .ok_or_else(|| format!("{} is too large to decode", path.display()))?;
    let mut buf = vec![0u8; len];
    let mut timeline = Timeline::new(path, size, room);
    let mut elapsed_ms: u64 = 0;
    for n in 0..count as usize {
        let delay = match decoder.read_frame(&mut buf) {
            Ok(ms) => ms,
            // Fewer frames than the header counted: the animation is what there is.
            Err(DecodingError::NoMoreFrames) if n > 0 => break,
            Err(e) => return Err(corrupt(&e)),
        };
        let rgba = if alpha {
            buf.clone()
        } else {
            buf.chunks_exact(3)
                .flat_map(|p| [p[0], p[1], p[2], 255])
                .collect()
        };
        timeline.push(n, rgba, elapsed_ms as f64 / 1000.0)?;
        elapsed_ms += shown_ms(u64::from(delay));
        crate::base::limits::check_duration(elapsed_ms as f64 / 1000.0)
            .map_err(|m| format!("{}: {m}", path.display()))?;
    }
    timeline.finish("webp", elapsed_ms as f64 / 1000.0)
}
