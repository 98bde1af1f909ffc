//! Resolution: named clip tables become a tree of clips, references checked,
//! cycles refused, sizes and durations known.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use indexmap::IndexMap;
use serde::de::DeserializeOwned;
use toml::de::{DeTable, DeValue};
use toml::Spanned;

use super::de::{typed, typed_table};
use super::diag::{did_you_mean, Diagnostic};
use super::limits::{MAX_DRAWS, MAX_DURATION, MAX_HELD_BYTES, MAX_NESTING};
use crate::clip::Clip;
use crate::expr::{Param, RawParam, Scope};

/// A `[width, height]` as written: whole numbers or expressions of `[vars]`.
pub type RawSize = Spanned<super::pair::Pair<RawParam>>;

/// Keys every clip table may have, whatever its kind.
pub const COMMON_KEYS: &[&str] = &["kind", "from", "effects", "mask"];

enum State<'i> {
    Pending(Spanned<DeValue<'i>>),
    Resolving,
    Done(Arc<dyn Clip>, Cost),
}

/// How deep a clip's tree is and how many clips one of its frames draws (a clip used
/// twice counts twice). Both grow with the scene's shape, not its size in bytes, so
/// they are bounded: rendering recurses `depth` deep and does `draws` renders a frame.
#[derive(Clone, Copy, Default)]
struct Cost {
    depth: usize,
    draws: u64,
}

struct Entry<'i> {
    key_span: std::ops::Range<usize>,
    state: State<'i>,
}

/// Everything a source, effect or layout needs while it is being built.
pub struct ResolveCx<'i> {
    pub scope: Scope,
    /// The scene's background: what layouts fill their gaps with unless told otherwise.
    pub background: crate::color::Rgba,
    /// The scene's `[output] fps`: the default rate of image sequences.
    pub fps: f64,
    /// The scene file's text, for positions inside its strings (see
    /// [`quoted`](super::quoted)); empty when clips are built without a file.
    pub source: &'i str,
    base_dir: PathBuf,
    clips: IndexMap<String, Entry<'i>>,
    stack: Vec<String>,
    /// For each clip being built (parallel to `stack`): what the clips it uses cost.
    used: Vec<Cost>,
    /// Bytes of pictures clips keep for the whole render (see [`ResolveCx::hold`]).
    held: u64,
    inputs: Vec<PathBuf>,
    /// Parallel to `inputs`: the span of the value naming each.
    input_places: Vec<Option<std::ops::Range<usize>>>,
}

impl<'i> ResolveCx<'i> {
    pub(crate) fn new(base_dir: &Path, scope: Scope) -> ResolveCx<'i> {
        ResolveCx {
            scope,
            background: crate::color::Rgba::BLACK,
            fps: crate::scene::output::DEFAULT_FPS,
            source: "",
            base_dir: base_dir.to_path_buf(),
            clips: IndexMap::new(),
            stack: Vec::new(),
            used: Vec::new(),
            held: 0,
            inputs: Vec::new(),
            input_places: Vec::new(),
        }
    }

    pub(crate) fn declare(
        &mut self,
        name: Spanned<String>,
        table: Spanned<DeValue<'i>>,
    ) -> Result<(), Diagnostic> {
        let span = name.span();
        let name = name.into_inner();
        if self.clips.contains_key(&name) {
            return Err(Diagnostic::at(
                format!("clip `{name}` is defined twice"),
                span,
            ));
        }
        self.clips.insert(
            name,
            Entry {
                key_span: span,
                state: State::Pending(table),
            },
        );
        Ok(())
    }

    pub(crate) fn names(&self) -> Vec<String> {
        self.clips.keys().cloned().collect()
    }

    /// Every file the scene reads, in the order first read (for depfiles).
    pub fn inputs(&self) -> &[PathBuf] {
        &self.inputs
    }

    /// Compiles a number-or-expression-or-keyframes parameter.
    pub fn param(&self, raw: &Spanned<RawParam>) -> Result<Param, Diagnostic> {
        Param::compile(raw, &self.scope)
    }

    /// Like [`param`](Self::param) for parameters that may not change over time
    /// (sizes, durations, counts), with a lower bound checked.
    pub fn constant(
        &self,
        raw: &Spanned<RawParam>,
        what: &str,
        min: f64,
        inclusive: bool,
    ) -> Result<f64, Diagnostic> {
        let p = self.param(raw)?;
        let v = p
            .as_constant()
            .ok_or_else(|| Diagnostic::at(format!("{what} cannot change over time"), raw.span()))?;
        let ok = if inclusive { v >= min } else { v > min };
        if !ok {
            let rel = if inclusive {
                "at least"
            } else {
                "greater than"
            };
            return Err(Diagnostic::at(
                format!(
                    "{what} must be {rel} {min}, not {}",
                    super::limits::shown(v)
                ),
                raw.span(),
            ));
        }
        Ok(v)
    }

    /// A `[width, height]` in pixels: whole numbers, or expressions of `[vars]` rounded
    /// to the nearest pixel (so `--set w=640` can resize a scene).
    pub fn size(&self, raw: &RawSize) -> Result<crate::clip::Size, Diagnostic> {
        let pair = raw.get_ref();
        let w = self.pixels(pair.first(), "the width", 1.0)?;
        let h = self.pixels(pair.second(), "the height", 1.0)?;
        super::limits::check_size(w, h).map_err(|m| Diagnostic::at(m, raw.span()))
    }

    /// A length in pixels that does not change over time, at least `min`: a whole
    /// number, or an expression of `[vars]` rounded to the nearest pixel.
    pub fn pixels(&self, raw: &Spanned<RawParam>, what: &str, min: f64) -> Result<u32, Diagnostic> {
        let v = self.constant(raw, what, min, true)?;
        if matches!(raw.get_ref(), RawParam::Number(_)) && v.fract() != 0.0 {
            return Err(Diagnostic::at(
                format!("{what} must be a whole number of pixels, not {v}"),
                raw.span(),
            ));
        }
        Ok(v.round().min(u32::MAX as f64) as u32)
    }

    /// A clip's optional `duration`: a constant number of seconds within the limits.
    pub fn duration(&self, raw: Option<&Spanned<RawParam>>) -> Result<Option<f64>, Diagnostic> {
        raw.map(|d| {
            let v = self.constant(d, "duration", 0.0, false)?;
            super::limits::check_duration(v).map_err(|m| Diagnostic::at(m, d.span()))
        })
        .transpose()
    }

    /// An input file named in the scene: resolved against the scene's folder, checked
    /// to exist, and recorded as an input of the render.
    pub fn input_path(&mut self, raw: &Spanned<String>) -> Result<PathBuf, Diagnostic> {
        let path = self.base_dir.join(raw.get_ref());
        match std::fs::metadata(&path) {
            Ok(m) if m.is_dir() => Err(Diagnostic::at(
                format!(
                    "`{}` (resolved to {}) is a folder, not a file",
                    raw.get_ref(),
                    path.display()
                ),
                raw.span(),
            )
            .with_hint("a folder of numbered pictures is `kind = \"images\"` with `files = \"folder/*.png\"`")),
            // A pipe would block the first read for ever, a device never ends.
            Ok(m) if !m.is_file() => Err(Diagnostic::at(
                format!(
                    "`{}` (resolved to {}) is {}, not a regular file: animate reads only regular files",
                    raw.get_ref(),
                    path.display(),
                    crate::input::kind(&m.file_type())
                ),
                raw.span(),
            )),
            Ok(_) => {
                self.record_input_at(&path, Some(raw.span()));
                Ok(path)
            }
            Err(e) => Err(Diagnostic::at(
                format!(
                    "cannot read `{}` (resolved to {}): {}",
                    raw.get_ref(),
                    path.display(),
                    io_reason(&e)
                ),
                raw.span(),
            )
            .with_hint("paths are relative to the scene file's folder")),
        }
    }

    /// Records `bytes` of pixels a clip keeps for the whole render (a decoded picture
    /// or animation, drawn text), and refuses the scene when all of them together pass
    /// [`MAX_HELD_BYTES`]: each may take up to 1 GiB, and every clip of a scene is
    /// resolved, used or not. Call it before decoding when the size is known.
    pub fn hold(&mut self, bytes: u64, span: std::ops::Range<usize>) -> Result<(), Diagnostic> {
        self.held = self.held.saturating_add(bytes);
        if self.held > MAX_HELD_BYTES {
            return Err(Diagnostic::at(
                format!(
                    "the scene's pictures and texts would take {} MiB of memory with this one: at most {} MiB",
                    self.held >> 20,
                    MAX_HELD_BYTES >> 20
                ),
                span,
            )
            .with_hint("use smaller pictures, or fewer clips made from large ones"));
        }
        Ok(())
    }

    /// A path relative to the scene's folder that need not exist yet (patterns).
    pub fn relative(&self, raw: &str) -> PathBuf {
        self.base_dir.join(raw)
    }

    /// Records a file read during resolution (for depfiles); duplicates are ignored.
    pub fn record_input(&mut self, path: &Path) {
        self.record_input_at(path, None);
    }

    /// Like [`record_input`](Self::record_input), with the place in the scene that
    /// names the file (for the message refusing an output that would overwrite it).
    pub fn record_input_at(&mut self, path: &Path, place: Option<std::ops::Range<usize>>) {
        // `./a.png` and `a.png` are one file; build tools compare the text.
        let path = path.strip_prefix(".").unwrap_or(path);
        if !path.as_os_str().is_empty() && !self.inputs.iter().any(|p| p == path) {
            self.inputs.push(path.to_path_buf());
            self.input_places.push(place);
        }
    }

    /// Where the scene names each of [`inputs`](Self::inputs), when it is known.
    pub fn input_places(&self) -> &[Option<std::ops::Range<usize>>] {
        &self.input_places
    }

    /// The clip named by `name`, resolving it first if needed.
    pub fn clip(&mut self, name: &Spanned<String>) -> Result<Arc<dyn Clip>, Diagnostic> {
        let key = name.get_ref();
        let Some(entry) = self.clips.get_mut(key.as_str()) else {
            let known = self.names();
            let mut d = Diagnostic::at(format!("unknown clip `{key}`"), name.span());
            d.hint = did_you_mean(key, known.iter().map(|s| s.as_str())).or_else(|| {
                Some(format!(
                    "clips defined: {}",
                    crate::listing::joined(&known, ", ")
                ))
            });
            return Err(d);
        };
        match std::mem::replace(&mut entry.state, State::Resolving) {
            State::Done(clip, cost) => {
                entry.state = State::Done(clip.clone(), cost);
                self.charge(cost, name)?;
                Ok(clip)
            }
            State::Resolving => {
                let start = self.stack.iter().position(|n| n == key).unwrap_or(0);
                let mut cycle: Vec<&str> = self.stack[start..].iter().map(|s| s.as_str()).collect();
                cycle.push(key);
                Err(Diagnostic::at(
                    format!(
                        "clips refer to each other in a cycle: {}",
                        crate::listing::joined(&cycle, " → ")
                    ),
                    name.span(),
                ))
            }
            State::Pending(table) => {
                if self.stack.len() >= MAX_NESTING {
                    return Err(Diagnostic::at(
                        format!(
                            "clips are nested more than {MAX_NESTING} deep (through `from`, layouts and masks)"
                        ),
                        name.span(),
                    )
                    .with_hint("a chain this deep is usually generated by mistake: flatten it"));
                }
                self.stack.push(key.clone());
                self.used.push(Cost::default());
                let result = self.build(key, table);
                self.stack.pop();
                self.used.pop();
                let (clip, cost) = result?;
                self.clips[key.as_str()].state = State::Done(clip.clone(), cost);
                self.charge(cost, name)?;
                Ok(clip)
            }
        }
    }

    /// Adds a clip's cost to the clip being built that uses it.
    fn charge(&mut self, cost: Cost, name: &Spanned<String>) -> Result<(), Diagnostic> {
        let Some(user) = self.used.last_mut() else {
            return Ok(());
        };
        user.depth = user.depth.max(cost.depth);
        user.draws = user.draws.saturating_add(cost.draws);
        if user.draws > MAX_DRAWS {
            return Err(too_many_draws(user.draws, name.span()));
        }
        Ok(())
    }

    /// Resolves every declared clip, so that errors in unused clips are reported too.
    pub(crate) fn resolve_all(&mut self) -> Result<IndexMap<String, Arc<dyn Clip>>, Diagnostic> {
        let mut out = IndexMap::new();
        for name in self.names() {
            let span = self.clips[name.as_str()].key_span.clone();
            let clip = self.clip(&Spanned::new(span, name.clone()))?;
            out.insert(name, clip);
        }
        Ok(out)
    }

    fn build(
        &mut self,
        name: &str,
        value: Spanned<DeValue<'i>>,
    ) -> Result<(Arc<dyn Clip>, Cost), Diagnostic> {
        let span = value.span();
        let DeValue::Table(mut table) = value.into_inner() else {
            return Err(Diagnostic::at(
                format!("clip `{name}` must be a table of keys"),
                span,
            ));
        };
        let kind: Option<Spanned<String>> = take(&mut table, "kind")?;
        let from: Option<Spanned<String>> = take(&mut table, "from")?;
        let effects: Option<Vec<Spanned<crate::effect::EffectSpec>>> = take(&mut table, "effects")?;
        let mask: Option<Spanned<crate::effect::mask::MaskRef>> = take(&mut table, "mask")?;
        // A source is one more level over the clips it shows; `from` reuses a clip as is.
        let own = usize::from(kind.is_some());
        let mut clip = match (kind, from) {
            (Some(kind), None) => {
                let clip = crate::source::build(&kind, table, span.clone(), self)?;
                within_limits(&clip, span.clone())?;
                clip
            }
            (None, Some(from)) => {
                if let Some((key, _)) = table.iter().next() {
                    let mut d = Diagnostic::at(
                        format!(
                            "unknown key `{}` in a clip made `from` another",
                            key.get_ref()
                        ),
                        key.span(),
                    );
                    d.hint = did_you_mean(key.get_ref(), COMMON_KEYS.iter().copied());
                    return Err(d);
                }
                self.clip(&from)?
            }
            (Some(kind), Some(_)) => {
                return Err(Diagnostic::at(
                    "a clip has either `kind` or `from`, not both",
                    kind.span(),
                ))
            }
            (None, None) => {
                return Err(Diagnostic::at(
                    format!("clip `{name}` needs a `kind` (or `from = \"other clip\"`)"),
                    span,
                )
                .with_hint(format!("kinds: {}", crate::source::KINDS.join(", "))))
            }
        };
        let used = self.used.last().copied().unwrap_or_default();
        // `from` draws nothing of its own but counts one level, as documented: a chain
        // of 200 000 clips each `from` the one before would otherwise pass.
        let mut cost = Cost {
            depth: used.depth + 1,
            draws: used.draws + own as u64,
        };
        if cost.depth > MAX_NESTING {
            return Err(Diagnostic::at(
                format!(
                    "clip `{name}` is nested more than {MAX_NESTING} deep (through `from`, layouts and masks)"
                ),
                span,
            )
            .with_hint("a chain this deep is usually generated by mistake: flatten it"));
        }
        for effect in effects.unwrap_or_default() {
            let span = effect.span();
            // Every effect wraps the clip before it: one more level, one more render.
            cost.depth += 1;
            cost.draws += 1;
            if cost.depth > MAX_NESTING {
                return Err(Diagnostic::at(
                    format!("effects and clips are nested more than {MAX_NESTING} deep here"),
                    span,
                )
                .with_hint("each effect wraps the clip before it: use fewer, or flatten the clips they apply to"));
            }
            clip = crate::effect::build(effect.into_inner(), clip, self)
                .map_err(|d| d.or_span(span.clone()))?;
            within_limits(&clip, span)?;
        }
        if let Some(mask) = mask {
            let span = mask.span();
            if let Some(u) = self.used.last_mut() {
                *u = Cost::default();
            }
            clip = crate::effect::mask::apply(mask, clip, self)?;
            let m = self.used.last().copied().unwrap_or_default();
            cost.depth = cost.depth.max(m.depth) + 1;
            cost.draws = cost.draws.saturating_add(m.draws) + 1;
            if cost.depth > MAX_NESTING {
                return Err(Diagnostic::at(
                    format!("clips are nested more than {MAX_NESTING} deep through this mask"),
                    span,
                ));
            }
            if cost.draws > MAX_DRAWS {
                return Err(too_many_draws(cost.draws, span));
            }
        }
        Ok((clip, cost))
    }
}

fn too_many_draws(draws: u64, span: std::ops::Range<usize>) -> Diagnostic {
    Diagnostic::at(
        format!(
            "a frame of this clip would draw {draws} clips or more (a clip used twice counts twice): at most {MAX_DRAWS}"
        ),
        span,
    )
    .with_hint("clips that each show the one below several times multiply the work at every level")
}

/// Refuses a clip longer than a render may be (its frames could never all be drawn),
/// whichever of its keys made it so; the keys check their own values first, with a
/// more precise place.
fn within_limits(clip: &Arc<dyn Clip>, span: std::ops::Range<usize>) -> Result<(), Diagnostic> {
    match clip.duration() {
        Some(d) if !(d.is_finite() && d <= MAX_DURATION) => Err(Diagnostic::at(
            format!(
                "the clip would last {} s: at most {MAX_DURATION} s (a day)",
                super::limits::shown(d)
            ),
            span,
        )),
        _ => Ok(()),
    }
}

/// Removes `key` from a table and deserializes it.
pub fn take<T: DeserializeOwned>(
    table: &mut DeTable<'_>,
    key: &str,
) -> Result<Option<T>, Diagnostic> {
    match table.remove(key) {
        Some(v) => typed(v).map(Some),
        None => Ok(None),
    }
}

/// Deserializes the kind-specific keys of a clip table.
pub fn spec<T: DeserializeOwned>(
    table: DeTable<'_>,
    span: std::ops::Range<usize>,
) -> Result<T, Diagnostic> {
    typed_table(table, span, COMMON_KEYS)
}

fn io_reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file".to_string(),
        std::io::ErrorKind::PermissionDenied => "permission denied".to_string(),
        _ => e.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regression_many_large_texts_exhausted_memory() {
        // Every clip is resolved, used or not, and text and pictures are kept for the
        // whole render: thirty 16000x16000 texts took 30 GB. Their total is bounded.
        let mut cx = ResolveCx::new(Path::new("."), Scope::default());
        let gib = 1u64 << 30;
        for _ in 0..4 {
            cx.hold(gib, 0..1).unwrap();
        }
        let e = cx.hold(1, 5..6).unwrap_err();
        assert_eq!(e.span, Some(5..6));
        assert!(e.message.contains("would take 4096 MiB"), "{}", e.message);
        assert!(e.message.contains("at most 4096 MiB"), "{}", e.message);
    }
}
