//! The context clips are built in: named clip tables become a tree of clips,
//! references checked, cycles refused, nesting and work bounded, sizes and durations
//! known.
//!
//! This layer knows no kind of clip: how one table becomes a clip (its `kind`, `from`,
//! effects and mask) is a function the scene layer hands to [`ResolveCx::new`], so the
//! sources, effects and layouts above can take this context without a cycle.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use indexmap::IndexMap;
use serde::de::DeserializeOwned;
use toml::de::{DeTable, DeValue};
use toml::Spanned;

use crate::base::de::{typed, typed_table};
use crate::base::diag::{did_you_mean, At, Diagnostic, MAX_FOUND_ERRORS, STOPPED};
use crate::base::limits::{MAX_DRAWS, MAX_HELD_BYTES, MAX_NESTING};
use crate::clip::Clip;
use crate::expr::{Param, RawParam, Scope};

/// A `[width, height]` as written (whole numbers or expressions of `[vars]`), or
/// `{ clip = "name" }`.
pub type RawSize = Spanned<super::size_spec::SizeSpec>;

/// Keys every clip table may have, whatever its kind.
pub const COMMON_KEYS: &[&str] = &["kind", "from", "effects", "mask"];

enum State<'i> {
    Pending(Spanned<DeValue<'i>>),
    Resolving,
    Done(Arc<dyn Clip>, Cost),
    /// Its build failed: the error is reported once, and the clips that use it fail
    /// without a report of their own.
    Failed,
}

/// How deep a clip's tree is and how many clips one of its frames draws (a clip used
/// twice counts twice). Both grow with the scene's shape, not its size in bytes, so
/// they are bounded: rendering recurses `depth` deep and does `draws` renders a frame.
#[derive(Clone, Copy, Default)]
pub struct Cost {
    pub depth: usize,
    pub draws: u64,
}

/// Builds one declared clip from its table, with what it costs: the scene layer's
/// dispatch over kinds, `from`, effects and masks.
pub type BuildClip<'i> =
    fn(&mut ResolveCx<'i>, &str, Spanned<DeValue<'i>>) -> Result<(Arc<dyn Clip>, Cost), Diagnostic>;

struct Entry<'i> {
    key_span: std::ops::Range<usize>,
    /// The table as written, for clips made `from` this one with keys of their own.
    table: Spanned<DeValue<'i>>,
    state: State<'i>,
}

/// Whether clips may start the programs a scene names (`kind = "program"`): a scene
/// that runs programs is code, so the command line decides, never the scene.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum ProgramMode {
    /// Refuse the scene at the first program clip (`render`, `frame` without
    /// `--allow-programs`).
    #[default]
    Refuse,
    /// Build program clips without starting anything, to list them (`check`, `deps`).
    List,
    /// Start them when a frame needs them (`--allow-programs`).
    Run,
}

/// What the command line gives program clips: whether they may run, and what a
/// stream read while the scene loads (one without a `duration`) shares with it.
#[derive(Clone, Debug, Default)]
pub struct Programs {
    pub mode: ProgramMode,
    pub live: Arc<Live>,
    /// The scene file as the command line names it, for the places in the messages of
    /// programs that fail while the render runs (empty: none).
    pub scene_path: PathBuf,
}

/// Shared between the command line and streams read while the scene loads.
#[derive(Debug, Default)]
pub struct Live {
    /// Raised to stop them (Ctrl-C).
    pub stop: Option<Arc<std::sync::atomic::AtomicBool>>,
    /// A program that failed while the scene loaded: a failed render (exit 1), not a
    /// wrong scene, whatever the diagnostic that stopped the loading says.
    pub failure: std::sync::Mutex<Option<String>>,
    /// The threads work done while the scene loads may use (the command line's
    /// `--threads`); every core when `None`.
    pub threads: Option<usize>,
}

impl Programs {
    /// Programs in `mode`, nothing to stop them.
    pub fn new(mode: ProgramMode) -> Programs {
        Programs {
            mode,
            live: Arc::default(),
            scene_path: PathBuf::new(),
        }
    }
}

/// Which streams without a `duration` (a program's or standard input's) are read to
/// their end while they are built, when programs may start. Reading one runs its
/// program or takes animate's stdin, so a scene reads only those of clips it may draw
/// (see `scene::drawn_names`); the others stay unread, without an end, never started.
#[derive(Clone, Debug, Default)]
pub enum StreamReads {
    /// Every one.
    #[default]
    All,
    /// Only those built for these clips.
    Only(std::collections::HashSet<String>),
}

/// A program a scene would run, for `animate check`.
#[derive(Clone, Debug)]
pub struct ProgramUse {
    /// The clip that runs it.
    pub clip: String,
    /// Its command line and mode, as shown to the user.
    pub what: String,
    /// Whether the clip lasts until the program ends (a stream without a `duration`).
    pub open_ended: bool,
}

/// Everything a source, effect or layout needs while it is being built.
pub struct ResolveCx<'i> {
    /// Whether program clips may start their programs.
    pub programs: Programs,
    /// Every program clip declared, in the order built.
    pub program_uses: Vec<ProgramUse>,
    /// Whether a clip reads animate's own standard input (at most one may).
    pub reads_stdin: bool,
    /// Which streams without a `duration` are read while they are built.
    pub stream_reads: StreamReads,
    /// Where in `errors` the first error of each failed measurement is.
    measure_errors: std::collections::HashMap<String, usize>,
    pub scope: Scope,
    /// The scene's background: what layouts fill their gaps with unless told otherwise.
    pub background: crate::base::color::Rgba,
    /// The scene's `[output] fps`: the default rate of image sequences.
    pub fps: f64,
    /// The scene file's text, for positions inside its strings (see
    /// [`quoted`](crate::base::quoted)); empty when clips are built without a file.
    pub source: &'i str,
    lines: std::cell::OnceCell<crate::base::diag::LineIndex>,
    /// Threads a clip may use for work while it is built (a 3-D source measuring its
    /// extent over the animation): `--threads`, else every core.
    pub threads: usize,
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
    build: BuildClip<'i>,
    /// Every clip's own error, in the order found (see [`ResolveCx::resolve_all`]).
    errors: Vec<Diagnostic>,
    /// Messages of errors in a file's contents (see [`ResolveCx::in_file`]).
    file_errors: std::collections::HashSet<String>,
    /// How many builds have failed so far, reported or not: a build that fails while
    /// this count grew failed because of a clip it uses.
    failures: usize,
    /// Things the scene asks for that work but will likely look wrong (see
    /// [`ResolveCx::warn`]).
    warnings: Vec<Diagnostic>,
    /// Set when [`MAX_FOUND_ERRORS`] errors were found and checking stopped.
    stopped: bool,
}

impl<'i> ResolveCx<'i> {
    /// A context resolving paths against `base_dir`, building named clips with `build`.
    pub fn new(base_dir: &Path, scope: Scope, build: BuildClip<'i>) -> ResolveCx<'i> {
        ResolveCx {
            programs: Programs::default(),
            program_uses: Vec::new(),
            reads_stdin: false,
            stream_reads: StreamReads::All,
            measure_errors: Default::default(),
            scope,
            background: crate::base::color::Rgba::BLACK,
            fps: crate::base::time::DEFAULT_FPS,
            source: "",
            lines: Default::default(),
            threads: crate::base::parallel::cores(),
            base_dir: base_dir.to_path_buf(),
            clips: IndexMap::new(),
            stack: Vec::new(),
            used: Vec::new(),
            held: 0,
            inputs: Vec::new(),
            input_places: Vec::new(),
            build,
            errors: Vec::new(),
            file_errors: Default::default(),
            failures: 0,
            warnings: Vec::new(),
            stopped: false,
        }
    }

    /// Whether [`MAX_FOUND_ERRORS`] errors are found: then no more clips or
    /// measurements are checked (each error's hint may cost a pass over every clip name).
    pub fn enough_errors(&mut self) -> bool {
        self.stopped |= self.errors.len() >= MAX_FOUND_ERRORS;
        self.stopped
    }

    /// Whether the scene declares a clip `name`.
    pub fn declares(&self, name: &str) -> bool {
        self.clips.contains_key(name)
    }

    /// Notes a warning with its place: the scene loads, but the user is told once it
    /// has (a grid scaling a label up 6×).
    pub fn warn(&mut self, warning: Diagnostic) {
        if !self.warnings.contains(&warning) {
            self.warnings.push(warning);
        }
    }

    /// The warnings noted so far, in the order found.
    pub fn take_warnings(&mut self) -> Vec<Diagnostic> {
        std::mem::take(&mut self.warnings)
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
                table: table.clone(),
                state: State::Pending(table),
            },
        );
        Ok(())
    }

    /// The name of the clip being built (the innermost, through `from` and layouts).
    pub fn current_clip(&self) -> Option<&str> {
        self.stack.last().map(|s| s.as_str())
    }

    /// Whether a stream without a `duration` built now for the current clip is read to
    /// its end (see [`StreamReads`]).
    pub fn reads_stream(&self) -> bool {
        self.may_draw()
    }

    /// Whether the clip being built may be drawn, heard or measured (see
    /// [`StreamReads`]): work done once for its frames (a field's automatic value
    /// range) is left out for one that is only named for its size, or unused.
    pub fn may_draw(&self) -> bool {
        match &self.stream_reads {
            StreamReads::All => true,
            StreamReads::Only(names) => self.current_clip().is_some_and(|n| names.contains(n)),
        }
    }

    /// Whether the clips are built to be listed, not rendered (`check`, `deps`): a
    /// source may then read only what it needs to tell its size and duration.
    pub fn lists_only(&self) -> bool {
        self.programs.mode == ProgramMode::List
    }

    /// The scene file's folder: relative paths and programs start from here.
    pub fn base_dir(&self) -> &Path {
        &self.base_dir
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
        self.constant_as(
            raw,
            what,
            min,
            inclusive,
            ("a number", "write a number, e.g. 20"),
        )
    }

    /// [`constant`](Self::constant), telling one who wrote a word that `what` must be
    /// `expected.0`, and to write `expected.1` instead.
    fn constant_as(
        &self,
        raw: &Spanned<RawParam>,
        what: &str,
        min: f64,
        inclusive: bool,
        expected: (&str, &str),
    ) -> Result<f64, Diagnostic> {
        let p = self.param(raw).map_err(|d| {
            match number_with_unit(raw).filter(|(_, unit)| {
                // `2pi` means 2*pi: a name, not a unit
                !matches!(*unit, "pi" | "tau") && !self.scope.names().iter().any(|n| n == unit)
            }) {
                Some((number, _)) => Diagnostic::at(
                    format!("{what} must be {}: a unit is not part of it", expected.0),
                    raw.span(),
                )
                .with_hint(format!("write the number alone: {number}")),
                None => self.not_a_number(d, raw, what, expected),
            }
        })?;
        let v = p.as_constant().ok_or_else(|| {
            let d = Diagnostic::at(format!("{what} cannot change over time"), raw.span());
            match animated_names(raw) {
                Some((names, count)) => d.with_hint(format!(
                    "{names} {} known only as frames are drawn (`--fps` may change the rate): \
                     here write numbers, [vars] and pi, tau, e",
                    if count == 1 { "is" } else { "are" }
                )),
                None => d,
            }
        })?;
        at_least(v, what, min, inclusive, raw.span())
    }

    /// A clip's own frame rate (`fps` of an array, a sequence, a program): a constant
    /// within the limits every rate keeps.
    pub fn rate(&self, raw: &Spanned<RawParam>) -> Result<f64, Diagnostic> {
        let v = self.constant(raw, "fps", 0.0, false)?;
        crate::base::limits::check_fps(v).at(raw.span())
    }

    /// A count that fixes the size of arrays (grid points, samples, sides,
    /// antialiasing): a whole number from `lo` to `hi`, written as a number or an
    /// expression of `[vars]`, never of `t`.
    pub fn count(
        &self,
        raw: &Spanned<RawParam>,
        what: &str,
        lo: i64,
        hi: i64,
    ) -> Result<i64, Diagnostic> {
        let v = self.constant(raw, what, f64::NEG_INFINITY, false)?;
        let shown = crate::base::limits::shown;
        if v.fract() != 0.0 {
            return Err(Diagnostic::at(
                format!("{what} must be a whole number, not {}", shown(v)),
                raw.span(),
            ));
        }
        if !(lo as f64..=hi as f64).contains(&v) {
            return Err(Diagnostic::at(
                format!("{what} must be {lo} to {hi}, not {}", shown(v)),
                raw.span(),
            ));
        }
        Ok(v as i64)
    }

    /// A time or duration that does not change over time, at least `min`: plain
    /// seconds, an expression of `[vars]`, or a time with a unit or a clock (`"2s"`,
    /// `"1:30"`: see [`seconds`](crate::base::seconds)).
    pub fn seconds(
        &self,
        raw: &Spanned<RawParam>,
        what: &str,
        min: f64,
        inclusive: bool,
    ) -> Result<f64, Diagnostic> {
        match written_time(raw, what, self.fps)? {
            Some(v) => at_least(v, what, min, inclusive, raw.span()),
            None => self.constant_as(
                raw,
                what,
                min,
                inclusive,
                ("a time", crate::base::seconds::FORMS),
            ),
        }
    }

    /// Like [`param`](Self::param) for a time or duration that may change over time
    /// (a fade's): a time with a unit or a clock is a constant.
    pub fn time_param(&self, raw: &Spanned<RawParam>, what: &str) -> Result<Param, Diagnostic> {
        match written_time(raw, what, self.fps)? {
            Some(v) => Ok(Param::constant(v)),
            None => self.param(raw),
        }
    }

    /// Says that a value read as a number is one, when a word stood in its place
    /// (`fps = "twenty"`): not only that the word is not a name expressions know.
    fn not_a_number(
        &self,
        d: Diagnostic,
        raw: &Spanned<RawParam>,
        what: &str,
        (noun, write): (&str, &str),
    ) -> Diagnostic {
        // words with no operator between them (`duration = "two seconds"`): the parser
        // stops at the second word, but the value is the whole text
        let words = match raw.get_ref() {
            RawParam::Expr(text)
                if d.message.starts_with("expected an operator, found")
                    && text.trim().contains(char::is_alphabetic)
                    && text
                        .chars()
                        .all(|c| c.is_alphanumeric() || c == ' ' || c == '.') =>
            {
                Some(text.trim())
            }
            _ => None,
        };
        let name = d
            .message
            .strip_prefix("unknown name `")
            .and_then(|rest| rest.strip_suffix('`'))
            .or(words)
            .map(str::to_string);
        let Some(name) = name else {
            return d;
        };
        let d = match words {
            Some(_) => Diagnostic {
                hint: None,
                ..Diagnostic::at(String::new(), raw.span())
            },
            None => d,
        };
        let vars = self.scope.names();
        let names = if vars.is_empty() {
            "pi, tau, e and [vars] (none defined)".to_string()
        } else {
            format!(
                "pi, tau, e and [vars]: {}",
                crate::base::listing::joined(&vars, ", ")
            )
        };
        let first = d
            .hint
            .clone()
            .filter(|h| h.starts_with("did you mean"))
            .unwrap_or_else(|| write.to_string());
        Diagnostic {
            message: format!("{what} must be {noun}: `{name}` is not one, nor a name known here"),
            hint: Some(format!("{first}; an expression here may use {names}")),
            ..d
        }
    }

    /// A `[width, height]` in pixels: whole numbers, or expressions of `[vars]` rounded
    /// to the nearest pixel (so `--set w=640` can resize a scene); or another clip's
    /// size, `{ clip = "name" }` (that clip is built, not drawn: it costs nothing here).
    pub fn size(&mut self, raw: &RawSize) -> Result<crate::base::frame::Size, Diagnostic> {
        match raw.get_ref() {
            super::size_spec::SizeSpec::Pixels(pair) => {
                let w = self.pixels(pair.first(), "the width", 1.0)?;
                let h = self.pixels(pair.second(), "the height", 1.0)?;
                crate::base::limits::check_size(w, h).at(raw.span())
            }
            super::size_spec::SizeSpec::Of(name) => Ok(self.get(name, false)?.size()),
        }
    }

    /// A length in pixels that does not change over time, at least `min`: a whole
    /// number, or an expression of `[vars]` rounded to the nearest pixel.
    pub fn pixels(&self, raw: &Spanned<RawParam>, what: &str, min: f64) -> Result<u32, Diagnostic> {
        // `"500px"`: CSS's unit, where every size is pixels already.
        if let RawParam::Expr(text) = raw.get_ref() {
            if let Some(n) = text.trim().strip_suffix("px") {
                if n.trim().parse::<f64>().is_ok() {
                    return Err(Diagnostic::at(
                        format!("{what} is in pixels, without a unit: write {}", n.trim()),
                        raw.span(),
                    ));
                }
            }
        }
        let v = self.constant(raw, what, min, true)?;
        if matches!(raw.get_ref(), RawParam::Number(_)) && v.fract() != 0.0 {
            return Err(Diagnostic::at(
                format!(
                    "{what} must be a whole number of pixels, not {}",
                    crate::base::limits::shown(v)
                ),
                raw.span(),
            ));
        }
        // Past u32 the number would show as 4294967295 in the size's message.
        if v.round() > f64::from(u32::MAX) {
            return Err(Diagnostic::at(
                format!(
                    "{what} of {} pixels is too large: at most {} pixels",
                    crate::base::limits::shown(v),
                    crate::base::limits::MAX_SIDE
                ),
                raw.span(),
            ));
        }
        Ok(v.round() as u32)
    }

    /// A clip's optional `duration`: a constant number of seconds within the limits.
    pub fn duration(&self, raw: Option<&Spanned<RawParam>>) -> Result<Option<f64>, Diagnostic> {
        raw.map(|d| {
            let v = self.seconds(d, "duration", 0.0, false)?;
            crate::base::limits::check_duration(v).at(d.span())
        })
        .transpose()
    }

    /// An input file named in the scene: resolved against the scene's folder, checked
    /// to exist, and recorded as an input of the render.
    pub fn input_path(&mut self, raw: &Spanned<String>) -> Result<PathBuf, Diagnostic> {
        self.input_path_or(raw, None)
    }

    /// Like [`input_path`](Self::input_path), with what to say when the path is a
    /// folder (a clip's picture: a folder of pictures is an image sequence).
    pub fn input_path_or(
        &mut self,
        raw: &Spanned<String>,
        folder_hint: Option<&str>,
    ) -> Result<PathBuf, Diagnostic> {
        let path = self.base_dir.join(raw.get_ref());
        match std::fs::metadata(&path) {
            Ok(m) if m.is_dir() => {
                let d = Diagnostic::at(
                    format!(
                        "`{}` (resolved to {}) is a folder, not a file",
                        raw.get_ref(),
                        path.display()
                    ),
                    raw.span(),
                );
                Err(match folder_hint {
                    Some(hint) => d.with_hint(hint),
                    None => d,
                })
            }
            // A pipe would block the first read for ever, a device never ends.
            Ok(m) if !m.is_file() => Err(Diagnostic::at(
                format!(
                    "`{}` (resolved to {}) is {}, not a regular file: animate reads only regular files",
                    raw.get_ref(),
                    path.display(),
                    crate::base::input::kind(&m.file_type())
                ),
                raw.span(),
            )),
            Ok(_) => {
                self.record_input_at(&path, Some(raw.span()));
                Ok(path)
            }
            Err(e) => {
                let written = raw.get_ref();
                let near = (e.kind() == std::io::ErrorKind::NotFound)
                    .then(|| crate::base::input::similar_name(&path))
                    .flatten();
                let hint = match near {
                    // The name as written, its folder part kept.
                    Some(n) => {
                        let folder = written.rfind('/').map_or("", |i| &written[..=i]);
                        format!("did you mean `{folder}{n}`? (paths are relative to the scene file's folder)")
                    }
                    None => "paths are relative to the scene file's folder".to_string(),
                };
                Err(Diagnostic::at(
                    format!(
                        "cannot read `{written}` (resolved to {}): {}",
                        path.display(),
                        io_reason(&e)
                    ),
                    raw.span(),
                )
                .with_hint(hint))
            }
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

    /// The bytes [`hold`](Self::hold) still allows: the most a picture being decoded
    /// may keep.
    pub fn room(&self) -> u64 {
        MAX_HELD_BYTES.saturating_sub(self.held)
    }

    /// Like [`hold`](Self::hold), for a picture whose decoding also needs `transient`
    /// bytes for a moment (a decoder's own buffer): those must fit beside what is held
    /// too, so that a picture is refused before its decoding passes the limit.
    pub fn hold_peak(
        &mut self,
        kept: u64,
        transient: u64,
        span: std::ops::Range<usize>,
    ) -> Result<(), Diagnostic> {
        self.hold(kept.saturating_add(transient), span)?;
        self.held -= transient;
        Ok(())
    }

    /// " (line 8, column 23)" for a byte offset in the scene file, for warnings said
    /// while rendering; "" when built without a scene file.
    pub fn place(&self, offset: usize) -> String {
        if self.source.is_empty() {
            return String::new();
        }
        let (line, col) = self.line_col(offset);
        format!(" (line {line}, column {col})")
    }

    /// The place of `span` as an error shows it (`--> scene.toml:8:7`, the line and
    /// carets under the span), after a line break, for messages said while rendering
    /// that a scene diagnostic cannot carry; "" when built without a scene file.
    pub fn place_lines(&self, span: std::ops::Range<usize>) -> String {
        if self.source.is_empty() {
            return String::new();
        }
        let path = match self.programs.scene_path.as_os_str().is_empty() {
            true => Path::new("scene"),
            false => self.programs.scene_path.as_path(),
        };
        let lines = crate::base::diag::place_lines(&span, path, self.source);
        format!("\n{}", lines.trim_end())
    }

    /// Sets the scene file's text (see [`ResolveCx::source`]).
    pub fn set_source(&mut self, source: &'i str) {
        self.source = source;
        self.lines = Default::default();
    }

    /// 1-based line and column of a byte offset in the scene file, through an index
    /// made on first use (layouts ask once per layer).
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        self.lines
            .get_or_init(|| crate::base::diag::LineIndex::new(self.source))
            .line_col(self.source, offset)
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
        self.get(name, true)
    }

    /// The table the clip `name` was declared with, for a clip made `from` it that
    /// changes some of its keys. The clip itself is built first (not shown, so not
    /// charged): its own errors are reported once, with it, and a cycle is refused.
    pub fn table_of(&mut self, name: &Spanned<String>) -> Result<Spanned<DeValue<'i>>, Diagnostic> {
        self.get(name, false)?;
        let entry = &self.clips[name.get_ref().as_str()];
        // Built again inside this clip, its chain of `from` is as deep again: refused
        // before, not after, recursing through it.
        if let State::Done(_, cost) = &entry.state {
            if cost.depth >= MAX_NESTING {
                return Err(Diagnostic::at(
                    format!(
                        "clips are nested more than {MAX_NESTING} deep (through `from`, layouts and masks)"
                    ),
                    name.span(),
                )
                .with_hint("a chain this deep is usually generated by mistake: flatten it"));
            }
        }
        Ok(entry.table.clone())
    }

    /// The error for a clip name the scene does not define; `None` when it does. Lets
    /// a layout whose own keys are wrong still report every name it cannot find.
    pub fn unknown_clip(&self, name: &Spanned<String>) -> Option<Diagnostic> {
        let key = name.get_ref();
        if self.clips.contains_key(key.as_str()) {
            return None;
        }
        let known = self.names();
        let mut d = Diagnostic::at(format!("unknown clip `{key}`"), name.span());
        d.hint = did_you_mean(key, known.iter().map(|s| s.as_str())).or_else(|| {
            Some(format!(
                "clips defined: {}",
                crate::base::listing::joined(&known, ", ")
            ))
        });
        Some(d)
    }

    /// The clip `name`, built if needed; its cost is added to the clip being built when
    /// `charge` (it is shown there).
    fn get(&mut self, name: &Spanned<String>, charge: bool) -> Result<Arc<dyn Clip>, Diagnostic> {
        let key = name.get_ref();
        if let Some(d) = self.unknown_clip(name) {
            return Err(d);
        }
        let Some(entry) = self.clips.get_mut(key.as_str()) else {
            return Err(Diagnostic::at(format!("unknown clip `{key}`"), name.span()));
        };
        match std::mem::replace(&mut entry.state, State::Resolving) {
            State::Done(clip, cost) => {
                entry.state = State::Done(clip.clone(), cost);
                if charge {
                    self.charge(cost, name)?;
                }
                Ok(clip)
            }
            State::Resolving => {
                let start = self.stack.iter().position(|n| n == key).unwrap_or(0);
                let mut cycle: Vec<&str> = self.stack[start..].iter().map(|s| s.as_str()).collect();
                cycle.push(key);
                Err(Diagnostic::at(
                    format!(
                        "clips refer to each other in a cycle: {}",
                        crate::base::listing::joined(&cycle, " → ")
                    ),
                    name.span(),
                ))
            }
            State::Failed => {
                entry.state = State::Failed;
                self.failures += 1;
                Err(Diagnostic::at(
                    format!("clip `{key}` has errors (reported on their own)"),
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
                let before = self.failures;
                let read_failed = self.scope.measures().failed_reads();
                let result = (self.build)(self, key, table);
                self.stack.pop();
                self.used.pop();
                let (clip, cost) = match result {
                    Ok(built) => built,
                    Err(d) => {
                        // A build that read a failed measurement fails because of an
                        // error reported on its own: it is not reported again either.
                        let follows = self.scope.measures().failed_reads() != read_failed;
                        if self.failures == before && !follows {
                            self.errors.push(d.clone());
                        }
                        if self.failures == before && follows {
                            self.note_reader(key, &d);
                        }
                        self.failures += 1;
                        self.clips[key.as_str()].state = State::Failed;
                        return Err(d);
                    }
                };
                self.clips[key.as_str()].state = State::Done(clip.clone(), cost);
                if charge {
                    self.charge(cost, name)?;
                }
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

    /// What the clips used so far by the clip being built cost.
    pub fn used(&self) -> Cost {
        self.used.last().copied().unwrap_or_default()
    }

    /// Starts counting anew what the clip being built uses (before its mask).
    pub fn reset_used(&mut self) {
        if let Some(u) = self.used.last_mut() {
            *u = Cost::default();
        }
    }

    /// Resolves every declared clip, so that errors in unused clips are reported too,
    /// and returns those that built. A clip that fails is reported once, with its own
    /// error; the clips that use it fail without a report of their own (their error
    /// would be the same one): see [`take_errors`](Self::take_errors).
    pub(crate) fn resolve_all(&mut self) -> IndexMap<String, Arc<dyn Clip>> {
        let mut out = IndexMap::new();
        for name in self.names() {
            if self.enough_errors() {
                break;
            }
            let span = self.clips[name.as_str()].key_span.clone();
            if let Ok(clip) = self.clip(&Spanned::new(span, name.clone())) {
                out.insert(name, clip);
            }
        }
        out
    }

    /// Resolves every clip a layout names before it uses any (without charging them:
    /// [`clip`](Self::clip) does that when each is used), so that a misspelt name is
    /// reported even beside a clip in error, and each such error once.
    pub fn check_clips<'n>(
        &mut self,
        names: impl IntoIterator<Item = &'n Spanned<String>>,
    ) -> Result<(), Diagnostic> {
        let mut own = Vec::new();
        let mut dependent = None;
        for name in names {
            if self.errors.len() + own.len() >= MAX_FOUND_ERRORS {
                self.stopped = true;
                break;
            }
            let before = self.failures;
            if let Err(d) = self.get(name, false) {
                if self.failures == before {
                    own.push(d);
                } else {
                    dependent.get_or_insert(d);
                }
            }
        }
        // When a clip used failed, the error returned is not reported again (see
        // `get`): the layout's own errors are all reported beside it.
        let mut own = own.into_iter();
        let first = match dependent {
            Some(d) => d,
            None => match own.next() {
                Some(d) => d,
                None => return Ok(()),
            },
        };
        own.for_each(|d| self.also(d));
        Err(first)
    }

    /// How many errors are reported so far (see [`ResolveCx::measure_failed`]).
    pub fn error_count(&self) -> usize {
        self.errors.len()
    }

    /// Marks measurement `name` as failed; the errors reported since there were
    /// `errors_before` of them are its own (its clip's, or its table's), and the first
    /// of them will also name the places of the clips that read it.
    pub fn measure_failed(&mut self, name: &str, errors_before: usize) {
        self.scope.measures().fail(name);
        if self.errors.len() > errors_before {
            self.measure_errors.insert(name.to_string(), errors_before);
        }
    }

    /// A clip `key` whose build failed with `d` because it read a failed measurement:
    /// the measurement's own error also shows where it is read (the first few places),
    /// rather than a second error that would blame the reader.
    fn note_reader(&mut self, key: &str, d: &Diagnostic) {
        const MAX_READERS_SHOWN: usize = 3;
        let Some(name) = self.scope.measures().last_failed() else {
            return;
        };
        let (Some(&i), Some(span)) = (self.measure_errors.get(&name), d.span.clone()) else {
            return;
        };
        let error = &mut self.errors[i];
        if error.notes.len() < MAX_READERS_SHOWN {
            error.notes.push((
                format!(
                    "clip `{key}` reads measurement `{name}` here, and cannot be made without it"
                ),
                span,
            ));
        }
    }

    /// Reports an error of the clip being built beside the one it fails with, when
    /// neither follows from the other (a wrong effect name and a wrong colour).
    pub fn also(&mut self, d: Diagnostic) {
        self.errors.push(d);
    }

    /// Marks `d` as an error in the contents of a file (a CSV cell that is not a
    /// number): every clip or series reading that file meets it, and it is reported
    /// once, with the other readers' places as notes.
    pub fn in_file(&mut self, d: Diagnostic) -> Diagnostic {
        self.file_errors.insert(d.message.clone());
        d
    }

    /// The errors of the clips that failed to build, each once, in the order found;
    /// an error in a file read in several places once, naming them.
    pub(crate) fn take_errors(&mut self) -> Vec<Diagnostic> {
        let stopped = std::mem::take(&mut self.stopped);
        let errors = std::mem::take(&mut self.errors);
        let shared = |d: &Diagnostic| self.file_errors.contains(&d.message);
        let mut errors =
            crate::base::diag::merge_repeats(errors, shared, "the same file is read here too");
        if stopped {
            errors.push(Diagnostic::new(format!(
                "{STOPPED} {MAX_FOUND_ERRORS} errors: fix these and check it again"
            )));
        }
        errors
    }
}

/// Checks `v` against a lower bound, for the message naming `what`.
fn at_least(
    v: f64,
    what: &str,
    min: f64,
    inclusive: bool,
    span: std::ops::Range<usize>,
) -> Result<f64, Diagnostic> {
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
                crate::base::limits::shown(v)
            ),
            span,
        ));
    }
    Ok(v)
}

/// The number of a value written with a unit where none is taken (`fps = "20fps"`,
/// `"640 px"`): `20`, `640`.
fn number_with_unit(raw: &Spanned<RawParam>) -> Option<(&str, &str)> {
    let RawParam::Expr(text) = raw.get_ref() else {
        return None;
    };
    let text = text.trim();
    let split = text.find(|c: char| c.is_ascii_alphabetic())?;
    let (number, unit) = (text[..split].trim_end(), &text[split..]);
    let is_number = !number.is_empty() && number.parse::<f64>().is_ok();
    let is_unit = unit.len() <= 4 && unit.chars().all(|c| c.is_ascii_alphabetic());
    (is_number && is_unit && !unit.eq_ignore_ascii_case("e")).then_some((number, unit))
}

/// The seconds of a time written with a unit or as a clock; `None` for anything else.
/// The built-in names that vary with the frame, as written in `raw` (`` `t`, `fps` ``),
/// and how many: why a value that must be constant is not.
fn animated_names(raw: &Spanned<RawParam>) -> Option<(String, usize)> {
    let RawParam::Expr(text) = raw.get_ref() else {
        return None;
    };
    let mut found: Vec<&str> = Vec::new();
    for word in text.split(|c: char| !(c.is_alphanumeric() || c == '_')) {
        if ["t", "fps", "frame", "duration"].contains(&word) && !found.contains(&word) {
            found.push(word);
        }
    }
    let shown: Vec<String> = found.iter().map(|w| format!("`{w}`")).collect();
    (!shown.is_empty()).then(|| (shown.join(", "), shown.len()))
}

/// A time written with a unit or as a clock, in seconds. A count of frames
/// (`"100 frames"`) is an error whose hint gives its seconds at the scene's rate `fps`.
fn written_time(raw: &Spanned<RawParam>, what: &str, fps: f64) -> Result<Option<f64>, Diagnostic> {
    match raw.get_ref() {
        RawParam::Expr(text) => crate::base::seconds::parse(text).transpose().map_err(|m| {
            let d = Diagnostic::at(format!("{what}: {m}"), raw.span());
            match crate::base::seconds::frames_written(text) {
                Some(n) => d.with_hint(format!(
                    "at the scene's {} fps, {} frames last {} s: write {}",
                    crate::base::limits::shown(fps),
                    crate::base::limits::shown(n),
                    crate::base::limits::shown(n / fps),
                    crate::base::limits::shown(n / fps),
                )),
                None => d,
            }
        }),
        _ => Ok(None),
    }
}

pub fn too_many_draws(draws: u64, span: std::ops::Range<usize>) -> Diagnostic {
    Diagnostic::at(
        format!(
            "a frame of this clip would draw {draws} clips or more (a clip used twice counts twice): at most {MAX_DRAWS}"
        ),
        span,
    )
    .with_hint("clips that each show the one below several times multiply the work at every level")
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
    fn a_decoders_own_buffer_must_fit_beside_what_is_held() {
        let cx = || {
            ResolveCx::new(
                Path::new("."),
                Scope::default(),
                crate::scene::resolve::build_clip,
            )
        };
        let gib = 1u64 << 30;
        let mut a = cx();
        a.hold(3 * gib, 0..1).unwrap();
        assert!(a.hold_peak(gib / 2, gib, 0..1).is_err());
        let mut b = cx();
        b.hold(3 * gib, 0..1).unwrap();
        b.hold_peak(gib / 2, gib / 2, 0..1).unwrap();
        // Only what is kept stays counted.
        b.hold(gib / 2, 0..1).unwrap();
        assert!(b.hold(1, 0..1).is_err());
    }

    #[test]
    fn regression_many_large_texts_exhausted_memory() {
        // Every clip is resolved, used or not, and text and pictures are kept for the
        // whole render: thirty 16000x16000 texts took 30 GB. Their total is bounded.
        let mut cx = ResolveCx::new(
            Path::new("."),
            Scope::default(),
            crate::scene::resolve::build_clip,
        );
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
