//! Watching the scene and every file it reads: each change reloads the scene into a
//! new revision of the state.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{channel, Receiver};
use std::sync::Arc;
use std::time::Duration;

use notify::{EventKind, RecursiveMode, Watcher};

use super::state::State;
use crate::base::error::Error;
use crate::cli::SceneArgs;
use crate::clip::build::ProgramMode;

/// How long to wait after a change for the rest of it (an editor's save is several
/// events: write, close, rename).
const SETTLE: Duration = Duration::from_millis(40);

/// Loads the scene once, then follows its files on a thread of its own.
pub fn start(state: Arc<State>, args: SceneArgs, mode: ProgramMode) -> Result<(), Error> {
    let (tx, rx) = channel();
    let watcher: Box<dyn Watcher + Send> = match notify::recommended_watcher(tx.clone()) {
        Ok(w) => Box::new(w),
        Err(e) => {
            crate::base::report::warn(format_args!(
                "cannot watch files the usual way ({e}): looking at them every 250 ms instead"
            ));
            let config = notify::Config::default().with_poll_interval(Duration::from_millis(250));
            Box::new(
                notify::PollWatcher::new(tx, config)
                    .map_err(|e| Error::Render(format!("cannot watch the scene's files: {e}")))?,
            )
        }
    };
    let mut follow = Follow {
        state,
        args,
        mode,
        watcher,
        dirs: HashSet::new(),
        files: HashSet::new(),
    };
    follow.reload();
    std::thread::spawn(move || follow.run(rx));
    Ok(())
}

struct Follow {
    state: Arc<State>,
    args: SceneArgs,
    /// Whether the scene's programs may run (`--allow-programs`).
    mode: ProgramMode,
    watcher: Box<dyn Watcher + Send>,
    /// Folders watched (a file replaced by rename is seen only from its folder).
    dirs: HashSet<PathBuf>,
    /// The files whose changes reload the scene, as the watcher names them.
    files: HashSet<PathBuf>,
}

impl Follow {
    fn run(mut self, rx: Receiver<notify::Result<notify::Event>>) {
        while let Ok(event) = rx.recv() {
            if !self.concerns(event) {
                continue;
            }
            std::thread::sleep(SETTLE);
            while rx.try_recv().is_ok() {}
            self.reload();
        }
    }

    /// A change of the contents of a watched file (not someone reading it: the scene's
    /// own load opens every file).
    fn concerns(&self, event: notify::Result<notify::Event>) -> bool {
        let Ok(event) = event else {
            return true; // the watcher lost track: reloading is the safe answer
        };
        let writes = match event.kind {
            EventKind::Access(notify::event::AccessKind::Close(
                notify::event::AccessMode::Write,
            )) => true,
            EventKind::Access(_) => false,
            _ => true,
        };
        writes && event.paths.iter().any(|p| self.files.contains(p))
    }

    /// Loads the scene into a new revision, then watches the files it now reads.
    fn reload(&mut self) {
        let (loaded, said) =
            crate::base::report::held(|| crate::cli::load(&self.args, self.mode, None));
        // What loading said goes to stderr as usual, and its warnings to the page too.
        for line in &said {
            crate::base::report::line(line);
        }
        let warnings: Vec<String> = said
            .iter()
            .filter_map(|l| l.strip_prefix("warning: ").map(str::to_string))
            .collect();
        let mut inputs = vec![self.args.scene.clone()];
        match &loaded {
            Ok(scene) => inputs.extend(scene.inputs.iter().cloned()),
            // A load stopped by Ctrl-C is told once, by the command as it ends.
            Err(_) if crate::base::stop::signalled() => {}
            Err(e) => {
                crate::base::report::line(e);
                // Keep following what the last good scene read: fixing an input fixes
                // the scene too.
                inputs.extend(self.files.iter().cloned());
            }
        }
        self.state.update(loaded, warnings);
        let revision = self.state.snapshot().revision;
        if revision > 1 {
            crate::base::report::line(format_args!("preview: revision {revision}"));
        }
        self.watch(&inputs);
    }

    fn watch(&mut self, inputs: &[PathBuf]) {
        let mut files = HashSet::new();
        for input in inputs {
            let Some((dir, file)) = named(input) else {
                continue;
            };
            if !self.dirs.contains(&dir) {
                match self.watcher.watch(&dir, RecursiveMode::NonRecursive) {
                    Ok(()) => {
                        self.dirs.insert(dir.clone());
                    }
                    Err(e) => crate::base::report::warn(format_args!(
                        "cannot watch {}: {e}; its changes will not show",
                        dir.display()
                    )),
                }
            }
            files.insert(dir.join(file));
        }
        self.files = files;
    }
}

/// A file as the watcher names it: its folder made absolute, and its name.
fn named(path: &Path) -> Option<(PathBuf, PathBuf)> {
    let file = PathBuf::from(path.file_name()?);
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    Some((dir.canonicalize().ok()?, file))
}
