//! Starting a user's program in its own process group, showing its stderr as it comes,
//! and stopping it with everything it started: no process is left behind, no zombie.

use std::collections::VecDeque;
use std::io::{BufRead, BufReader, Read};
use std::path::Path;
use std::process::{Child, ChildStdout, Command, ExitStatus, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Lines of stderr kept for error messages.
const TAIL_LINES: usize = 8;
/// Longest line of stderr shown; longer ones are cut.
const MAX_LINE: u64 = 4096;

/// A running program. Dropping it stops its process group.
pub struct Process {
    child: Child,
    tail: Arc<Mutex<VecDeque<String>>>,
    stderr_done: crossbeam_channel::Receiver<()>,
    status: Option<ExitStatus>,
    stopped: bool,
}

/// What to start: the program, its arguments and environment, and its folder.
pub struct Launch<'a> {
    pub args: &'a [String],
    pub env: &'a [(String, String)],
    pub dir: &'a Path,
    /// Prefix of the program's stderr lines: the clip's name.
    pub label: &'a str,
    /// Whether the program's stdout is read (else it goes nowhere).
    pub stdout: bool,
}

impl Process {
    /// Starts the program in a new process group, stdin closed, stderr forwarded line
    /// by line with the label in front.
    pub fn start(launch: &Launch) -> std::io::Result<Process> {
        become_subreaper();
        let mut cmd = Command::new(&launch.args[0]);
        cmd.args(&launch.args[1..])
            .current_dir(launch.dir)
            .envs(launch.env.iter().map(|(k, v)| (k, v)))
            .stdin(Stdio::null())
            .stdout(if launch.stdout {
                Stdio::piped()
            } else {
                Stdio::null()
            })
            .stderr(Stdio::piped());
        #[cfg(unix)]
        std::os::unix::process::CommandExt::process_group(&mut cmd, 0);
        let mut child = super::guard::spawn(cmd)?;
        let tail = Arc::new(Mutex::new(VecDeque::new()));
        let (done_tx, stderr_done) = crossbeam_channel::bounded(1);
        if let Some(err) = child.stderr.take() {
            let (tail, label) = (tail.clone(), launch.label.to_string());
            std::thread::spawn(move || {
                forward(err, &label, &tail);
                let _ = done_tx.send(());
            });
        }
        Ok(Process {
            child,
            tail,
            stderr_done,
            status: None,
            stopped: false,
        })
    }

    pub fn take_stdout(&mut self) -> Option<ChildStdout> {
        self.child.stdout.take()
    }

    /// The exit status, if the program has ended.
    pub fn try_status(&mut self) -> Option<ExitStatus> {
        if self.status.is_none() {
            self.status = self.child.try_wait().ok().flatten();
        }
        self.status
    }

    /// Waits up to `limit` for the program to end.
    pub fn wait_for(&mut self, limit: Duration) -> Option<ExitStatus> {
        let start = Instant::now();
        loop {
            if let Some(s) = self.try_status() {
                return Some(s);
            }
            if start.elapsed() >= limit {
                return None;
            }
            std::thread::sleep(Duration::from_millis(2));
        }
    }

    /// The last lines the program wrote on stderr, once it has been stopped (so that
    /// nothing it wrote last is missing), as an indented block for a message.
    pub fn stderr_tail(&mut self) -> String {
        self.stop();
        let _ = self.stderr_done.recv_timeout(Duration::from_millis(500));
        let tail = self.tail.lock().unwrap_or_else(|e| e.into_inner());
        if tail.is_empty() {
            return " (it wrote nothing on stderr)".to_string();
        }
        let mut text = String::from("; the last lines it wrote on stderr:");
        for line in tail.iter() {
            text.push_str("\n  | ");
            text.push_str(line);
        }
        text
    }

    /// Stops the program and everything it started, and reaps them.
    pub fn stop(&mut self) {
        if std::mem::replace(&mut self.stopped, true) {
            return;
        }
        #[cfg(unix)]
        {
            stop_group(self.child.id() as i32, &mut self.child);
            super::guard::unwatch(self.child.id());
        }
        #[cfg(not(unix))]
        {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

impl Drop for Process {
    fn drop(&mut self) {
        self.stop();
    }
}

/// Sends stderr on as `label: line`, keeping the last lines for messages.
fn forward(err: impl Read, label: &str, tail: &Mutex<VecDeque<String>>) {
    let mut reader = BufReader::new(err);
    let mut buf = Vec::new();
    loop {
        buf.clear();
        match (&mut reader).take(MAX_LINE).read_until(b'\n', &mut buf) {
            Ok(0) | Err(_) => return,
            Ok(_) => {}
        }
        let line = String::from_utf8_lossy(&buf);
        let line = line.trim_end_matches(['\n', '\r']);
        crate::base::report::line(format_args!("{label}: {line}"));
        let mut tail = tail.lock().unwrap_or_else(|e| e.into_inner());
        if tail.len() == TAIL_LINES {
            tail.pop_front();
        }
        tail.push_back(line.to_string());
    }
}

/// Makes orphans of programs' children ours to reap (Linux): a child killed with its
/// group after its parent would otherwise stay a zombie under an init that does not
/// reap.
fn become_subreaper() {
    #[cfg(target_os = "linux")]
    {
        static ONCE: std::sync::Once = std::sync::Once::new();
        // SAFETY: prctl with PR_SET_CHILD_SUBREAPER only sets a flag of this process.
        ONCE.call_once(|| unsafe {
            libc::prctl(libc::PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0);
        });
    }
}

/// SIGTERM to the group, then SIGKILL to what is left after a short grace, reaping
/// every member that is our child (the program, and its orphans since we are their
/// subreaper) until none is left.
#[cfg(unix)]
fn stop_group(pgid: i32, child: &mut Child) {
    let alive = || {
        // SAFETY: signal 0 only checks that the group exists.
        unsafe { libc::kill(-pgid, 0) == 0 }
    };
    let reap = || loop {
        let mut status = 0;
        // SAFETY: waitpid on our own children of that group, never blocking.
        let pid = unsafe { libc::waitpid(-pgid, &mut status, libc::WNOHANG) };
        if pid <= 0 {
            return;
        }
    };
    let wait_gone = |limit: Duration| {
        let start = Instant::now();
        while start.elapsed() < limit {
            reap();
            if !alive() {
                return true;
            }
            std::thread::sleep(Duration::from_millis(2));
        }
        false
    };
    // The group's id is the program's: it stays ours while a member lives or is
    // unreaped. (Once the program is reaped and every member gone, the id could be
    // reused, but the kill then finds no group or one made in the last instant.)
    // SAFETY: signals to the program's own process group.
    unsafe { libc::kill(-pgid, libc::SIGTERM) };
    if !wait_gone(Duration::from_millis(300)) {
        unsafe { libc::kill(-pgid, libc::SIGKILL) };
        wait_gone(Duration::from_secs(5));
    }
    // The program itself, if `waitpid` above did not reap it (it was reaped earlier
    // by `try_wait`, or the group was already gone).
    let _ = child.try_wait();
}
