//! Scene files: TOML in, a resolved clip tree out.
//!
//! `load` parses the file keeping byte positions, reads `[output]` and `[vars]`, then
//! resolves every `[clip.NAME]` table (see [`resolve`]) into a tree of clips.

pub mod kinds;
pub mod output;
pub mod resolve;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use indexmap::IndexMap;
use toml::de::{DeTable, DeValue};
use toml::Spanned;

use crate::base::color::Rgba;
use crate::base::diag::{did_you_mean, At, Diagnostic};
use crate::base::error::Error;
use crate::base::limits;
use crate::base::time::DEFAULT_FPS;
use crate::clip::build::{take, ProgramUse, Programs, ResolveCx};
use crate::clip::Clip;
use crate::expr::Scope;
use output::{OutputSettings, RawOutput, DEFAULT_QUALITY};

/// The top-level tables a scene may have.
const TOP_KEYS: &[&str] = &["output", "vars", "clip"];

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
    /// The programs the scene's clips run (`kind = "program"`), for `animate check`.
    pub programs: Vec<ProgramUse>,
    /// Whether a clip reads animate's standard input (`kind = "stdin"`).
    pub reads_stdin: bool,
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
            scene.inputs.insert(0, path.to_path_buf());
            scene.input_places.insert(0, None);
            scene.source = src.clone();
            scene
        })
        .map_err(|diag| Error::Scene {
            diag,
            path: path.to_path_buf(),
            src: src.clone(),
        })
}

/// Reads a scene file of at most [`limits::MAX_SCENE_BYTES`] (through
/// [`crate::base::input`]: a pipe or a device is refused, not read for ever). Text that is
/// not UTF-8 is refused at its first bad byte.
fn read_scene(path: &Path) -> Result<String, Error> {
    let bytes =
        crate::base::input::read(path, limits::MAX_SCENE_BYTES, "a scene file").map_err(|e| {
            Error::Usage(format!(
                "cannot read scene file {}: {}",
                path.display(),
                e.reason
            ))
        })?;
    String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        // Shown with the bad bytes replaced: the text before them is unchanged, so the
        // line and column are those of the file.
        let src = String::from_utf8_lossy(e.as_bytes()).into_owned();
        Error::Scene {
            // The span covers the replacement character, a whole character of `src`.
            diag: Diagnostic::at(
                "the scene file is not UTF-8 text: the byte here is not valid UTF-8",
                at..at + char::REPLACEMENT_CHARACTER.len_utf8(),
            )
            .with_hint("save the file as UTF-8"),
            path: path.to_path_buf(),
            src,
        }
    })
}

/// Resolves scene text; relative paths are taken from `base`. Program clips are
/// refused.
pub fn parse(src: &str, base: &Path, overrides: &VarOverrides) -> Result<Scene, Diagnostic> {
    parse_with(src, base, overrides, Programs::default())
}

/// Like [`parse`], with what program clips may do.
pub fn parse_with(
    src: &str,
    base: &Path,
    overrides: &VarOverrides,
    programs: Programs,
) -> Result<Scene, Diagnostic> {
    let doc = DeTable::parse(src).map_err(|e| {
        let span = e.span().unwrap_or(0..0);
        Diagnostic::at(format!("TOML syntax: {}", e.message().trim()), span)
    })?;
    let mut top = doc.into_inner();

    for (key, _) in top.iter() {
        if !TOP_KEYS.contains(&key.get_ref().as_ref()) {
            let mut d = Diagnostic::at(format!("unknown table `{}`", key.get_ref()), key.span());
            d.hint = did_you_mean(key.get_ref(), TOP_KEYS.iter().copied()).or_else(|| {
                Some("a scene has `[output]`, `[vars]` and `[clip.NAME]` tables".into())
            });
            return Err(d);
        }
    }

    let raw_output: RawOutput = take(&mut top, "output")?.unwrap_or_default();
    let scope = Scope::from_vars(top.remove("vars"), overrides)?;
    let mut cx = ResolveCx::new(base, scope, resolve::build_clip);
    cx.programs = programs;
    let output = settings(&raw_output, &cx)?;
    cx.background = output.background;
    cx.fps = output.fps;
    cx.source = src;

    let clips = match top.remove("clip") {
        Some(v) => {
            let span = v.span();
            match v.into_inner() {
                DeValue::Table(t) => t,
                _ => {
                    return Err(Diagnostic::at(
                        "`clip` must be a table of named clips: [clip.NAME]",
                        span,
                    ))
                }
            }
        }
        None => DeTable::default(),
    };
    if clips.is_empty() {
        return Err(Diagnostic::new("the scene defines no clips")
            .with_hint("add a table such as [clip.main] with kind = \"color\", color = \"red\", size = [64, 64]"));
    }
    for (name, value) in clips {
        cx.declare(Spanned::new(name.span(), name.get_ref().to_string()), value)?;
    }
    let resolved = cx.resolve_all()?;
    let root_name = pick_root(&raw_output, &cx)?;
    let root = resolved[root_name.as_str()].clone();
    Ok(Scene {
        path: PathBuf::new(),
        root_name,
        root,
        clips: resolved,
        output,
        inputs: cx.inputs().to_vec(),
        input_places: cx.input_places().to_vec(),
        source: String::new(),
        programs: std::mem::take(&mut cx.program_uses),
        reads_stdin: cx.reads_stdin,
    })
}

fn settings(raw: &RawOutput, cx: &ResolveCx) -> Result<OutputSettings, Diagnostic> {
    let fps = match &raw.fps {
        Some(p) => {
            let v = cx.constant(p, "fps", 0.0, false)?;
            limits::check_fps(v).at(p.span())?
        }
        None => DEFAULT_FPS,
    };
    let duration = cx.duration(raw.duration.as_ref())?;
    let size = raw.size.as_ref().map(|s| cx.size(s)).transpose()?;
    let quality = match &raw.quality {
        Some(q) if !(1..=100).contains(q.get_ref()) => {
            return Err(Diagnostic::at(
                format!("quality must be 1 to 100, not {}", q.get_ref()),
                q.span(),
            ))
        }
        Some(q) => *q.get_ref(),
        None => DEFAULT_QUALITY,
    };
    Ok(OutputSettings {
        fps,
        size,
        duration,
        background: raw.background.unwrap_or(Rgba::BLACK),
        file: raw.file.as_ref().map(|f| cx.relative(f.get_ref())),
        quality,
        repeat: raw.repeat.as_ref().map_or(0, |r| *r.get_ref()),
    })
}

fn pick_root(raw: &RawOutput, cx: &ResolveCx) -> Result<String, Diagnostic> {
    let names = cx.names();
    if let Some(root) = &raw.root {
        if names.contains(root.get_ref()) {
            return Ok(root.get_ref().clone());
        }
        let mut d = Diagnostic::at(format!("unknown clip `{}`", root.get_ref()), root.span());
        d.hint = did_you_mean(root.get_ref(), names.iter().map(|s| s.as_str())).or_else(|| {
            Some(format!(
                "clips defined: {}",
                crate::base::listing::joined(&names, ", ")
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
