//! Scene files: TOML in, a resolved clip tree out.
//!
//! `load` parses the file keeping byte positions, reads `[output]` and `[vars]`, then
//! resolves every `[clip.NAME]` table (see [`resolve`]) into a tree of clips.

pub mod caption;
pub mod entry_keys;
pub mod inherit;
pub mod items;
pub mod kinds;
pub mod measure;
pub mod output;
pub mod pitfalls;
pub mod resolve;
pub mod schema;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use indexmap::IndexMap;
use toml::de::{DeTable, DeValue};
use toml::Spanned;

use crate::base::color::Rgba;
use crate::base::diag::{did_you_mean, At, Diagnostic, Diagnostics};
use crate::base::error::Error;
use crate::base::limits;
use crate::base::time::DEFAULT_FPS;
use crate::clip::build::{take, ProgramUse, Programs, ResolveCx, StreamReads};
use crate::clip::Clip;
use crate::expr::Scope;
use output::{FpsFrom, OutputSettings, RawOutput, DEFAULT_QUALITY};

/// The top-level tables a scene may have.
const TOP_KEYS: &[&str] = &["output", "vars", "measure", "clip"];

/// A resolved scene, ready to render.
pub struct Scene {
    pub path: PathBuf,
    pub root_name: String,
    pub root: Arc<dyn Clip>,
    /// Every clip by name, in file order.
    pub clips: IndexMap<String, Arc<dyn Clip>>,
    pub output: OutputSettings,
    /// Every file the scene reads: the scene itself first.
    pub inputs: Vec<PathBuf>,
    /// Parallel to `inputs`: where the scene names each (`None` for the scene itself
    /// and files found without a place).
    pub input_places: Vec<Option<std::ops::Range<usize>>>,
    /// The scene file's text, for messages that point into it after loading.
    pub source: String,
    /// What loading found that works but will likely look wrong; `load` prints them.
    pub warnings: Vec<Diagnostic>,
    /// The programs the scene's clips run (`kind = "program"`), for `animate check`.
    pub programs: Vec<ProgramUse>,
    /// Whether a clip reads animate's standard input (`kind = "stdin"`).
    pub reads_stdin: bool,
    /// Each `[measure.NAME]`, by name, and the clip it measures.
    pub measures: Vec<(String, String)>,
    /// `[output] audio`: heard under the root's sound, repeated for ever (the render's
    /// end cuts it).
    pub soundtrack: Option<Arc<dyn crate::audio::Sound>>,
    /// `[output] audio` as written, for `animate check`.
    pub soundtrack_name: Option<String>,
}

impl Scene {
    /// An error at a place in this scene's file, found after it loaded (an output or an
    /// input the command refuses).
    pub fn error(&self, diag: Diagnostic) -> Error {
        Error::Scene {
            diag: Box::new(diag),
            path: self.path.clone(),
            src: self.source.clone(),
        }
    }

    /// What the render sounds like: the root clip's sound with the soundtrack;
    /// `None` when silent.
    pub fn sound(&self) -> Option<Arc<dyn crate::audio::Sound>> {
        use crate::audio::mix::{Mix, Part};
        let part = |sound| Part {
            sound,
            start: 0,
            len: None,
            gain: None,
        };
        let parts = [self.root.sound(), self.soundtrack.clone()];
        Mix::of(parts.into_iter().flatten().map(part).collect())
    }
}

/// `--set NAME=VALUE` pairs from the command line.
pub type VarOverrides = [(String, String)];

/// Reads and resolves a scene file. Errors carry the file's text for display.
/// Program clips are refused (see [`load_with`]).
pub fn load(path: &Path, overrides: &VarOverrides) -> Result<Scene, Error> {
    load_with(path, overrides, Programs::default())
}

/// Like [`load`], with what program clips may do.
pub fn load_with(
    path: &Path,
    overrides: &VarOverrides,
    programs: Programs,
) -> Result<Scene, Error> {
    let src = read_scene(path)?;
    let base = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    parse_with(&src, base, overrides, programs)
        .map(|mut scene| {
            scene.path = path.to_path_buf();
            // A piped scene is no file to depend on or to keep from being overwritten.
            if path.as_os_str() != "-" {
                scene.inputs.insert(0, path.to_path_buf());
                scene.input_places.insert(0, None);
            }
            scene.source = src.clone();
            for w in &scene.warnings {
                crate::base::report::line(w.render_warning(path, &src).trim_end());
            }
            scene
        })
        .map_err(|diags| Error::Scenes {
            diags,
            path: path.to_path_buf(),
            src: src.clone(),
        })
}

/// Reads a scene file of at most [`limits::MAX_SCENE_BYTES`] (through
/// [`crate::base::input`]: a pipe or a device is refused, not read for ever). Text that is
/// not UTF-8 is refused at its first bad byte.
fn read_scene(path: &Path) -> Result<String, Error> {
    let bytes = if path.as_os_str() == "-" {
        read_stdin(limits::MAX_SCENE_BYTES)
    } else {
        crate::base::input::read(path, limits::MAX_SCENE_BYTES, "a scene file")
            .map_err(|e| e.reason)
    }
    .map_err(|reason| {
        Error::Usage(format!(
            "cannot read scene file {}: {reason}",
            path.display()
        ))
    })?;
    String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        // Shown with the bad bytes replaced: the text before them is unchanged, so the
        // line and column are those of the file.
        let src = String::from_utf8_lossy(e.as_bytes()).into_owned();
        Error::Scene {
            // The span covers the replacement character, a whole character of `src`.
            diag: Box::new(
                Diagnostic::at(
                    "the scene file is not UTF-8 text: the byte here is not valid UTF-8",
                    at..at + char::REPLACEMENT_CHARACTER.len_utf8(),
                )
                .with_hint("save the file as UTF-8"),
            ),
            path: path.to_path_buf(),
            src,
        }
    })
}

/// A scene piped to animate (`-`, for scenes generated by another program), at most
/// `limit` bytes; its relative paths are taken from the working folder.
fn read_stdin(limit: u64) -> Result<Vec<u8>, String> {
    use std::io::Read;
    let mut bytes = Vec::new();
    crate::base::input::Bounded::new(std::io::stdin().lock(), limit, "a scene file")
        .read_to_end(&mut bytes)
        .map_err(|e| format!("standard input: {e}"))?;
    Ok(bytes)
}

/// Resolves scene text; relative paths are taken from `base`. Program clips are
/// refused. Every error that does not follow from another is returned, so that one
/// run shows them all: each unknown table, each wrong `[output]` key, each clip that
/// fails (once: the clips using it are not reported again). An error in `[vars]`
/// stops there, as every expression may depend on it.
pub fn parse(src: &str, base: &Path, overrides: &VarOverrides) -> Result<Scene, Diagnostics> {
    parse_with(src, base, overrides, Programs::default())
}

/// The key or header with the most dotted parts, where the TOML reader's "recursion
/// limit" (a header nested a hundred deep) comes from: it gives no place of its own,
/// and the error pointed at the scene's first character (hostile11 F-DD).
fn deepest_key(src: &str) -> std::ops::Range<usize> {
    let mut best = (0, 0..0);
    let mut start = 0;
    for line in src.split_inclusive('\n') {
        let text = line.trim_end();
        let key = match text.trim_start().strip_prefix('[') {
            Some(_) => text,
            None => text.split('=').next().unwrap_or(""),
        };
        let dots = key.matches('.').count();
        if dots > best.0 {
            let lead = text.len() - text.trim_start().len();
            best = (dots, start + lead..start + text.len());
        }
        start += line.len();
    }
    best.1
}

/// The list to write for a value in parentheses (Python's tuple, as MoviePy's
/// `set_position(("center", "top"))`) on the line of a TOML syntax error: the parser trips
/// somewhere inside it, at or before `end`.
fn python_tuple(src: &str, end: usize) -> Option<String> {
    let end = end.min(src.len());
    let line_start = src.get(..end)?.rfind('\n').map_or(0, |i| i + 1);
    let line_end = src[line_start..]
        .find('\n')
        .map_or(src.len(), |i| line_start + i);
    let line = &src[line_start..line_end];
    let inside = line
        .split('=')
        .skip(1)
        .find_map(|value| value.trim_start().strip_prefix('('))?;
    let inside = &inside[..inside.find(')')?];
    Some(format!("[{}]", inside.trim().replace('\'', "\"")))
}

/// The line of the source holding byte `at`.
fn line_at(src: &str, at: usize) -> &str {
    let at = at.min(src.len());
    let start = src
        .get(..at)
        .and_then(|s| s.rfind('\n'))
        .map_or(0, |i| i + 1);
    let end = src[start..].find('\n').map_or(src.len(), |i| start + i);
    src[start..end].trim_end_matches('\r')
}

/// The hint for a TOML syntax error on a line with typographic quotes (`kind = “plot”`,
/// pasted from a web page or a word processor): TOML's strings take straight ones.
fn typographic_quotes(src: &str, at: usize) -> Option<String> {
    const CURLY: [char; 8] = ['“', '”', '„', '‘', '’', '‚', '«', '»'];
    let line = line_at(src, at);
    let first = line.find(|c| CURLY.contains(&c))?;
    // Inside a straight-quoted string a curly quote is text, not the error's cause.
    if line[..first].matches('"').count() % 2 == 1 {
        return None;
    }
    let value = &line[first..];
    let end = value
        .char_indices()
        .skip(1)
        .find(|&(_, c)| CURLY.contains(&c))
        .map_or(value.len(), |(i, c)| i + c.len_utf8());
    let written = &value[..end];
    let inner: String = written.chars().filter(|c| !CURLY.contains(c)).collect();
    Some(format!(
        "{written} is in typographic quotes (“ ” or ‘ ’, as a web page or a word processor \
         writes them): TOML's strings are in straight quotes, \"{inner}\""
    ))
}

/// The hint for an escape error in a `"…"` string holding backslashes (a Windows path,
/// `"C:\Users\anna"`, where `\U` starts a Unicode escape).
fn backslash_path(src: &str, at: usize, message: &str) -> Option<String> {
    if !(message.contains("escape") || message.contains("unicode")) {
        return None;
    }
    let line = line_at(src, at);
    let open = line.find('"')?;
    let rest = &line[open + 1..];
    let text = &rest[..rest.find('"').unwrap_or(rest.len())];
    if !text.contains('\\') {
        return None;
    }
    Some(format!(
        "a backslash starts an escape in a \"…\" string (`\\n`, `\\u00e9`): write the \
         path with forward slashes, \"{}\", or in single quotes, '{text}' (TOML's literal \
         string, read as written)",
        text.replace('\\', "/")
    ))
}

/// Like [`parse`], with what program clips may do.
pub fn parse_with(
    src: &str,
    base: &Path,
    overrides: &VarOverrides,
    programs: Programs,
) -> Result<Scene, Diagnostics> {
    parse_tables(src, base, overrides, programs).map_err(|mut diags| {
        pitfalls::explain(src, &mut diags.0);
        diags
    })
}

/// [`parse_with`] before the hints on TOML's pitfalls are added.
fn parse_tables(
    src: &str,
    base: &Path,
    overrides: &VarOverrides,
    programs: Programs,
) -> Result<Scene, Diagnostics> {
    items::check(src).map_err(|d| Diagnostics(vec![d]))?;
    let doc = DeTable::parse(src).map_err(|e| {
        let span = e.span().unwrap_or_else(|| deepest_key(src));
        if e.message().trim() == "duplicate key" {
            if let Some(d) = pitfalls::duplicate(src, &span) {
                return d;
            }
        }
        let mut d = Diagnostic::at(format!("TOML syntax: {}", e.message().trim()), span.clone());
        // `duration = 2s`, `start = 1:30`: a time with a unit or a clock is a string.
        let written = src.get(span.clone()).unwrap_or_default().trim();
        if let Some(Ok(_)) = crate::base::seconds::parse(written) {
            d.hint = Some(format!(
                "a time with a unit or a clock is a string in TOML: write \"{written}\""
            ));
        } else if let Some(hint) = typographic_quotes(src, span.start) {
            d.hint = Some(hint);
        } else if let Some(hint) = backslash_path(src, span.start, e.message()) {
            d.hint = Some(hint);
        } else if let Some(list) = python_tuple(src, span.end) {
            d.hint = Some(format!(
                "TOML has no tuples: write a list in brackets, {list}"
            ));
        } else if e.message().contains("recursion") {
            d.hint = Some(
                "keys or tables nested this deep are usually generated by mistake: flatten them"
                    .into(),
            );
        }
        d
    })?;
    let mut top = doc.into_inner();
    let mut errors = Vec::new();

    for (key, _) in top.iter() {
        if !TOP_KEYS.contains(&key.get_ref().as_ref()) {
            let mut d = Diagnostic::at(format!("unknown table `{}`", key.get_ref()), key.span());
            d.hint = did_you_mean(key.get_ref(), TOP_KEYS.iter().copied()).or_else(|| {
                Some(
                    "a scene has `[output]`, `[vars]`, `[measure.NAME]` and `[clip.NAME]` tables"
                        .into(),
                )
            });
            errors.push(d);
        }
    }

    // `[[output]]` (a list of tables) was told as "invalid type: a table, expected a
    // string": a scene has one output.
    if let Some(v) = top.get("output") {
        if let DeValue::Array(_) = v.get_ref() {
            errors.push(
                Diagnostic::at("`output` must be one table: [output]", v.span()).with_hint(
                    "a scene has one output: write its header `[output]`, not `[[output]]`",
                ),
            );
            top.remove("output");
        }
    }
    // The reader stops at the first unknown key; every one is reported instead.
    let unknown_output = match top.get("output").map(|v| v.get_ref()) {
        Some(DeValue::Table(t)) => {
            let known: Vec<&str> = schema::OUTPUT.iter().map(|k| k.name).collect();
            crate::base::de::unknown_keys(t, &known)
        }
        _ => Vec::new(),
    };
    let (raw_output, output_read): (RawOutput, bool) = match take(&mut top, "output") {
        Ok(raw) => (raw.unwrap_or_default(), true),
        Err(d) => {
            if unknown_output.is_empty() {
                errors.push(d);
            } else {
                errors.extend(unknown_output);
            }
            (RawOutput::default(), false)
        }
    };
    let scope = match Scope::from_vars(top.remove("vars"), overrides) {
        Ok(scope) => scope,
        Err(d) => {
            errors.push(d);
            return Err(Diagnostics(errors));
        }
    };
    let measures = measure::Declared::read(top.remove("measure"), &mut errors);
    errors.extend(measure::check_against_vars(&measures, &scope));
    let mut output = settings(
        &raw_output,
        &mut ResolveCx::new(base, scope.clone(), resolve::build_clip),
        &mut errors,
    );

    let clips = match top.remove("clip") {
        Some(v) => {
            let span = v.span();
            match v.into_inner() {
                DeValue::Table(t) => t,
                other => {
                    let mut d =
                        Diagnostic::at("`clip` must be a table of named clips: [clip.NAME]", span);
                    // `[[clip]]` with `name = "a"`: the name goes in the header.
                    if let DeValue::Array(items) = other {
                        let name = items.iter().find_map(|item| match item.get_ref() {
                            DeValue::Table(t) => match t.get("name").map(|n| n.get_ref()) {
                                Some(DeValue::String(n)) => Some(n.to_string()),
                                _ => None,
                            },
                            _ => None,
                        });
                        d.hint = Some(format!(
                            "each clip is a table of its own with its name in the header, \
                             `[clip.{}]`, not an entry of `[[clip]]`",
                            name.as_deref()
                                .map_or("main".into(), crate::base::listing::one_line)
                        ));
                    }
                    errors.push(d);
                    return Err(Diagnostics(errors));
                }
            }
        }
        None => DeTable::default(),
    };
    // `[clip]` with `kind = …` under it: keys of a clip with no name, each read as a
    // clip of its own. Said once, at the first.
    let mut clips = clips;
    let unnamed: Vec<_> = clips
        .iter()
        .filter(|(_, v)| !matches!(v.get_ref(), DeValue::Table(_)))
        .map(|(k, _)| k.clone())
        .collect();
    if let Some(first) = unnamed.first() {
        errors.push(
            Diagnostic::at(
                format!(
                    "`{}` is under `[clip]`, which holds named clips: name the clip",
                    first.get_ref()
                ),
                first.span(),
            )
            .with_hint("write `[clip.main]` (any name), not `[clip]`"),
        );
        clips = clips
            .into_iter()
            .filter(|(_, v)| matches!(v.get_ref(), DeValue::Table(_)))
            .collect();
        if clips.is_empty() {
            return Err(Diagnostics(errors));
        }
    }
    // A name that cannot be seen (`[clip.""]`, `[clip." "]`), or with spaces at an end
    // that no listing shows (`"main "` beside `"main"`).
    for (name, _) in &clips {
        let n = name.get_ref();
        if n.trim().is_empty() || n.trim().len() != n.len() {
            let shown = crate::base::listing::one_line(n.trim());
            let d = Diagnostic::at(
                match n.trim().is_empty() {
                    true => format!(
                        "a clip's name cannot be empty or blank, as `{}` is",
                        crate::base::listing::one_line(n)
                    ),
                    false => format!(
                        "the clip name `{}` begins or ends with a space, which cannot be seen",
                        crate::base::listing::one_line(n)
                    ),
                },
                name.span(),
            );
            errors.push(match n.trim().is_empty() {
                true => d.with_hint("name the clip: `[clip.main]`"),
                false => d.with_hint(format!("write `{shown}`")),
            });
        }
    }
    // Two names that show the same but are other characters (`café` typed both ways):
    // each is a clip of its own, and a reference picks one of them unseen.
    let keys: Vec<_> = clips.iter().map(|(k, _)| k).collect();
    let names: Vec<&str> = keys
        .iter()
        .map(|k| {
            let n: &str = k.get_ref();
            n
        })
        .collect();
    for (first, second) in crate::base::diag::look_alike_pairs(&names) {
        let (a, b) = (keys[first], keys[second]);
        errors.push(
            Diagnostic::at(
                format!(
                    "the clip names `{}` and `{}` look the same but are other characters: \
                     `{}` here, `{}` at the other",
                    b.get_ref(),
                    a.get_ref(),
                    crate::base::diag::spelt_out(b.get_ref()),
                    crate::base::diag::spelt_out(a.get_ref())
                ),
                b.span(),
            )
            .with_note("the other is here", a.span())
            .with_hint(
                "an accented letter is typed as one character in one and as a letter and an \
                 accent in the other: write it the same way in both, or name them apart",
            ),
        );
    }
    // Clips under a misspelt table (`[clips.a]`, `[[clips]]`) are told there already.
    let misspelt = errors
        .iter()
        .any(|d| d.message.starts_with("unknown table"));
    if clips.is_empty() && misspelt {
        return Err(Diagnostics(errors));
    }
    if clips.is_empty() {
        errors.push(Diagnostic::new("the scene defines no clips")
            .with_hint("add a table such as [clip.main] with kind = \"color\", color = \"red\", size = [64, 64]"));
        return Err(Diagnostics(errors));
    }
    // Every clip built at `fps`: the clips, the root's name and the context, or the
    // errors of the clips (each once) and of the root.
    let drawn = drawn_names(&clips, &raw_output, &measures);
    let resolve = |fps: f64| -> Result<_, Vec<Diagnostic>> {
        let mut errors = Vec::new();
        let scope = scope.clone().with_measures(Arc::new(measures.names()));
        let mut cx = ResolveCx::new(base, scope, resolve::build_clip);
        cx.programs = programs.clone();
        cx.stream_reads = StreamReads::Only(drawn.clone());
        cx.background = output.background;
        cx.fps = fps;
        cx.set_source(src);
        if let Some(n) = programs.live.threads {
            cx.threads = n.max(1);
        }
        for (name, value) in clips.clone() {
            if let Err(d) = cx.declare(Spanned::new(name.span(), name.get_ref().to_string()), value)
            {
                errors.push(d);
            }
        }
        let measured = measures.bind(&mut cx);
        let resolved = cx.resolve_all();
        errors.extend(cx.take_errors());
        match pick_root(&raw_output, &cx) {
            Ok(root) if errors.is_empty() && resolved.contains_key(root.as_str()) => {
                Ok((resolved, root, cx, measured))
            }
            Ok(_) => Err(errors),
            Err(d) => {
                // Without `[output]`, its `root` is unknown: no second error for that.
                if output_read {
                    errors.push(d);
                }
                Err(errors)
            }
        }
    };
    let (first, said) = crate::base::report::held(|| resolve(output.fps));
    // No fps written: the content's rate (see `Clip::rate`), the highest among the
    // root's clips.
    let rate = match (&first, &raw_output.fps) {
        (Ok((resolved, root, _, _)), None) if errors.is_empty() => {
            crate::clip::content_rate(&resolved[root.as_str()])
        }
        _ => None,
    };
    if let Some(rate) = rate {
        if let (Ok((resolved, ..)), true) = (&first, rate < limits::MIN_FPS * (1.0 - 1e-9)) {
            warn_slower_than_the_slowest(resolved, rate);
        }
        output.fps = rate.clamp(limits::MIN_FPS, limits::MAX_FPS);
        output.fps_from = FpsFrom::Content;
    }
    // A stream read while the scene loads (standard input, a program without a
    // duration) cannot be read a second time: such a scene is not built again.
    let read_once = match &first {
        Ok((_, _, cx, _)) => cx.reads_stdin || cx.program_uses.iter().any(|p| p.open_ended),
        Err(_) => false,
    };
    let built = if output.fps != DEFAULT_FPS && rate.is_some() && !read_once {
        // Clips built at the default rate (image sequences without their own) are
        // built again at the content's; building again says its warnings again. The
        // first build goes first: its pictures may take much of the memory allowed.
        drop(first);
        resolve(output.fps)
    } else {
        for line in &said {
            crate::base::report::line(line);
        }
        first
    };
    let (resolved, root_name, mut cx, measured) = match built {
        Ok(built) if errors.is_empty() => built,
        Ok(_) => return Err(Diagnostics(errors)),
        Err(more) => {
            errors.extend(more);
            return Err(Diagnostics(errors));
        }
    };
    let root = measure::Prepared::wrap(resolved[root_name.as_str()].clone(), measured);
    let soundtrack = match raw_output
        .audio
        .as_ref()
        .map(|a| soundtrack(a, &resolved, &mut cx))
    {
        Some(Err(d)) => return Err(Diagnostics(vec![d])),
        Some(Ok(s)) => Some(s),
        None => None,
    };
    Ok(Scene {
        soundtrack,
        soundtrack_name: raw_output.audio.as_ref().map(|a| a.get_ref().clone()),
        path: PathBuf::new(),
        root_name,
        root,
        clips: resolved,
        output,
        inputs: cx.inputs().to_vec(),
        input_places: cx.input_places().to_vec(),
        source: String::new(),
        warnings: cx.take_warnings(),
        programs: std::mem::take(&mut cx.program_uses),
        reads_stdin: cx.reads_stdin,
        measures: measures
            .tables
            .iter()
            .map(|(n, raw)| (n.get_ref().clone(), raw.clip.get_ref().clone()))
            .collect(),
    })
}

/// The clips a render may draw, hear or measure, read from the tables as written: the
/// root, the soundtrack, the measured clips and every clip they name, but not through
/// `size = { clip = … }`, which takes a size only. A stream without a `duration` is read
/// while the scene loads only for these (see [`StreamReads`]): one nothing draws (unused,
/// or named for its size) would otherwise run its program or wait for stdin. Any string
/// equal to a clip's name counts as naming it: at worst a stream is read for nothing,
/// as every one was before.
fn drawn_names(
    clips: &DeTable,
    raw: &RawOutput,
    measures: &measure::Declared,
) -> std::collections::HashSet<String> {
    let names: Vec<String> = clips.keys().map(|k| k.get_ref().to_string()).collect();
    let mut todo: Vec<String> = root_among(raw, &names).into_iter().collect();
    todo.extend(raw.audio.as_ref().map(|a| a.get_ref().clone()));
    todo.extend(
        measures
            .tables
            .iter()
            .map(|(_, m)| m.clip.get_ref().clone()),
    );
    let mut drawn = std::collections::HashSet::new();
    while let Some(name) = todo.pop() {
        let Some(table) = clips.get(name.as_str()) else {
            continue;
        };
        if drawn.insert(name) {
            named_in(table.get_ref(), clips, &mut todo);
        }
    }
    drawn
}

/// Pushes onto `found` every clip name a value holds, outside `size = { … }` tables.
fn named_in(value: &DeValue, clips: &DeTable, found: &mut Vec<String>) {
    match value {
        DeValue::String(s) if clips.contains_key(s.as_ref()) => found.push(s.to_string()),
        DeValue::Array(items) => items
            .iter()
            .for_each(|v| named_in(v.get_ref(), clips, found)),
        DeValue::Table(t) => {
            for (key, v) in t.iter() {
                let size_of = key.get_ref() == "size" && matches!(v.get_ref(), DeValue::Table(_));
                if !size_of {
                    named_in(v.get_ref(), clips, found);
                }
            }
        }
        _ => {}
    }
}

/// `[output] audio`: the named clip's sound, or a sound file's, looping.
fn soundtrack(
    raw: &Spanned<String>,
    clips: &IndexMap<String, Arc<dyn Clip>>,
    cx: &mut ResolveCx,
) -> Result<Arc<dyn crate::audio::Sound>, Diagnostic> {
    use crate::audio::retime::{Retimed, TimeMap};
    let clip = match clips.get(raw.get_ref()) {
        Some(c) => c.clone(),
        None => crate::source::audio::open(raw, cx)?,
    };
    let nothing = || {
        Diagnostic::at(
            format!("the soundtrack `{}` has nothing to hear", raw.get_ref()),
            raw.span(),
        )
        .with_hint(
            "name a sound file, or a clip that has sound (`kind = \"audio\"`, a video with sound)",
        )
    };
    let sound = clip.sound().ok_or_else(nothing)?;
    Ok(match clip.duration() {
        Some(d) if d > 0.0 => Retimed::wrap(
            sound,
            TimeMap::Loop(d * f64::from(crate::audio::RATE)),
            None,
        ),
        _ => sound,
    })
}

/// The `[output]` settings; a wrong key is added to `errors` and its default used, so
/// that the clips are still checked.
fn settings(raw: &RawOutput, cx: &mut ResolveCx, errors: &mut Vec<Diagnostic>) -> OutputSettings {
    fn ok<T>(errors: &mut Vec<Diagnostic>, r: Result<Option<T>, Diagnostic>) -> Option<T> {
        r.unwrap_or_else(|d| {
            errors.push(d);
            None
        })
    }
    let fps = ok(
        errors,
        raw.fps
            .as_ref()
            .map(|p| {
                let v = cx
                    .constant(p, "fps", 0.0, false)
                    .map_err(|d| match d.hint {
                        // `fps = 0` meant "as the content": that is `fps` left out.
                        None if d.message.contains("greater than 0") => d.with_hint(
                            "leave `fps` out to render at the content's own rate (a video's, a \
                         GIF's), else 25 (docs/scene.md#output)",
                        ),
                        _ => d,
                    })?;
                limits::check_fps(v).at(p.span())
            })
            .transpose(),
    );
    let fps_from = if fps.is_some() {
        FpsFrom::Written
    } else {
        FpsFrom::Default
    };
    let duration = ok(errors, cx.duration(raw.duration.as_ref()));
    let size = raw.size.as_ref().map(|s| match s.get_ref() {
        // Read before the clips are: and without `size` the output is the root's size.
        crate::clip::size_spec::SizeSpec::Of(_) => Err(Diagnostic::at(
            "[output] size is [width, height] in pixels, not another clip's size",
            s.span(),
        )
        .with_hint("leave `size` out to render at the root clip's size")),
        crate::clip::size_spec::SizeSpec::Pixels(_) => cx.size(s),
    });
    let size = ok(errors, size.transpose());
    let quality = ok(
        errors,
        match &raw.quality {
            Some(q) if !(1..=100).contains(q.get_ref()) => Err(Diagnostic::at(
                format!("quality must be 1 to 100, not {}", q.get_ref()),
                q.span(),
            )),
            q => Ok(q.as_ref().map(|q| *q.get_ref() as u8)),
        },
    );
    let file = raw.file.as_ref().and_then(|f| {
        let path = cx.relative(f.get_ref());
        let mut wrong = |message: String, hint: &str| {
            errors.push(Diagnostic::at(message, f.span()).with_hint(hint));
            None
        };
        if f.get_ref().trim().is_empty() {
            // Read as the scene's own folder, it took PNG frames there (`-o ""` is refused).
            wrong(
                "[output] file is empty".into(),
                "name the output: file = \"out.gif\", or file = \"frames/\" for PNG frames",
            )
        } else if path.is_dir() && !f.get_ref().ends_with('/') {
            // A scene must say it means a folder of frames: `file = "/etc"` put them there.
            wrong(
                format!(
                    "[output] file names the folder {}",
                    crate::base::listing::visible_short(f.get_ref())
                ),
                "end it with / to render PNG frames into that folder, or name a file (out.gif)",
            )
        } else {
            Some(path)
        }
    });
    OutputSettings {
        fps: fps.unwrap_or(DEFAULT_FPS),
        fps_from,
        size,
        duration,
        background: raw.background.unwrap_or(Rgba::BLACK),
        file_at: raw.file.as_ref().map(|f| f.span()),
        file,
        size_at: raw.size.as_ref().map(|s| s.span()),
        quality: quality.unwrap_or(DEFAULT_QUALITY),
        repeat: raw.repeat.as_ref().map_or(0, |r| *r.get_ref()),
    }
}

/// Says which clip's own rate is below the slowest output rate (an APNG's frames may
/// last hours; a GIF's at most [`limits::MAX_FRAME_SECONDS`]), since the render then
/// samples it at that rate rather than keeping its frames' lengths.
fn warn_slower_than_the_slowest(resolved: &IndexMap<String, Arc<dyn Clip>>, rate: f64) {
    let who = resolved
        .iter()
        .find(|(_, clip)| clip.rate() == Some(rate))
        .map_or("the content".to_string(), |(name, _)| {
            format!("clip `{name}`")
        });
    let longest = limits::shown_seconds(limits::MAX_FRAME_SECONDS);
    crate::base::report::warn(format_args!(
        "{who} shows a frame every {} s on average, longer than an output frame may last \
         ({longest} s, a GIF's longest delay): it is rendered at one frame every {longest} s, \
         so its frames are sampled at that rate instead of keeping their own lengths",
        limits::shown_seconds(1.0 / rate),
    ));
}

fn pick_root(raw: &RawOutput, cx: &ResolveCx) -> Result<String, Diagnostic> {
    root_among(raw, &cx.names())
}

/// The root clip's name among the clips declared `names`.
fn root_among(raw: &RawOutput, names: &[String]) -> Result<String, Diagnostic> {
    if let Some(root) = &raw.root {
        if names.contains(root.get_ref()) {
            return Ok(root.get_ref().clone());
        }
        let mut d = Diagnostic::at(format!("unknown clip `{}`", root.get_ref()), root.span());
        d.hint = did_you_mean(root.get_ref(), names.iter().map(|s| s.as_str())).or_else(|| {
            Some(format!(
                "clips defined: {}",
                crate::base::listing::joined(names, ", ")
            ))
        });
        return Err(d);
    }
    if names.iter().any(|n| n == "main") {
        return Ok("main".into());
    }
    if names.len() == 1 {
        return Ok(names[0].clone());
    }
    Err(Diagnostic::new(format!(
        "which clip is rendered? The scene defines {} clips and none is called `main`",
        names.len()
    ))
    .with_hint("name the root clip in [output]: root = \"...\""))
}
