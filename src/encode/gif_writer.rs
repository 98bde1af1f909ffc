//! The ordered end of GIF encoding: frames already compressed (see `gif_frame`) are
//! given their delays and written. A frame lasts from its index to the next written
//! frame's, in hundredths of a second rounded on the running total (so that the whole
//! length is right) and at least 2 (what browsers honour).

use std::io::Write;

use super::gif_frame::Encoded;

pub struct Writer<W: Write> {
    /// The output until the first frame, when the header is written.
    out: Option<W>,
    enc: Option<gif::Encoder<W>>,
    size: (u16, u16),
    repeat: gif::Repeat,
    /// The global colour table (see `gif_exact::Global`), if any.
    global: Vec<u8>,
    fps: f64,
    /// Transparent output: each frame clears to the background before the next.
    transparent: bool,
    /// The frame waiting for its end: (first index, frame).
    pending: Option<(u64, gif::Frame<'static>)>,
    /// Hundredths of a second written so far.
    written_cs: u64,
}

impl<W: Write> Writer<W> {
    pub fn new(
        out: W,
        w: u32,
        h: u32,
        fps: f64,
        transparent: bool,
        repeat: gif::Repeat,
    ) -> Result<Writer<W>, String> {
        Ok(Writer {
            out: Some(out),
            enc: None,
            size: (w as u16, h as u16),
            repeat,
            global: Vec::new(),
            fps,
            transparent,
            pending: None,
            written_cs: 0,
        })
    }

    /// Sets the global colour table; before the first frame.
    pub fn set_global(&mut self, table: Vec<u8>) {
        debug_assert!(self.enc.is_none());
        self.global = table;
    }

    /// The encoder, once the header is written.
    fn encoder(&mut self) -> Result<&mut gif::Encoder<W>, String> {
        if let Some(out) = self.out.take() {
            let (w, h) = self.size;
            let mut enc = gif::Encoder::new(out, w, h, &self.global).map_err(|e| e.to_string())?;
            enc.set_repeat(self.repeat).map_err(|e| e.to_string())?;
            self.enc = Some(enc);
        }
        self.enc
            .as_mut()
            .ok_or_else(|| "internal error: GIF writer lost".to_string())
    }

    /// Adds frame `index` (indices must increase; the first is 0).
    pub fn push(&mut self, index: u64, encoded: Encoded) -> Result<(), String> {
        match encoded {
            Encoded::Same if self.pending.is_some() => Ok(()),
            Encoded::Same => Err(format!(
                "internal error: GIF frame {index} repeats no frame"
            )),
            Encoded::Frame(f) => {
                if let Some((_, p)) = self.pending.take() {
                    self.write(p, index)?;
                }
                self.pending = Some((index, f));
                Ok(())
            }
        }
    }

    /// Writes the last frame, ending at `end` (the number of frames).
    pub fn finish(mut self, end: u64) -> Result<W, String> {
        if let Some((start, p)) = self.pending.take() {
            self.write(p, end.max(start + 1))?;
        }
        self.encoder()?;
        let enc = self.enc.take().expect("encoder created above");
        enc.into_inner().map_err(|e| e.to_string())
    }

    /// Writes `frame`, lasting until frame `end`. A delay is at most 655.35 s, so a
    /// picture that stays longer (identical frames merged) is written again as often
    /// as needed, the time shared evenly: drawn over itself it shows the same picture.
    fn write(&mut self, mut frame: gif::Frame<'static>, end: u64) -> Result<(), String> {
        let end_cs = (end as f64 * 100.0 / self.fps).round() as u64;
        let delay = end_cs.saturating_sub(self.written_cs).max(2);
        self.written_cs += delay;
        frame.dispose = if self.transparent {
            gif::DisposalMethod::Background
        } else {
            gif::DisposalMethod::Keep
        };
        let parts = delay.div_ceil(u64::from(u16::MAX));
        for k in 0..parts {
            frame.delay = (delay / parts + u64::from(k < delay % parts)) as u16;
            self.encoder()?
                .write_lzw_pre_encoded_frame(&frame)
                .map_err(|e| e.to_string())?;
        }
        Ok(())
    }
}
