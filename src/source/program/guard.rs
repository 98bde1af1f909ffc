//! Programs do not outlive animate, even when it is killed with SIGKILL and cannot
//! stop them (Linux). Two guards, because each misses what the other catches:
//!
//! - the program is started with `PR_SET_PDEATHSIG = SIGKILL`. The kernel sends that
//!   signal when the *thread* that started the program ends, so every program is
//!   started by one launcher thread that lives as long as the process; render workers
//!   and measurement passes come and go. This reaches the program itself (and what it
//!   `exec`s), not what it forks: `sh -c "a; b"` would leave `a` running;
//! - a watchdog process (animate started again with a hidden argument, at the first
//!   program) learns each program's process group through a pipe — the program writes
//!   it there itself before it runs — and kills the groups still listed when the pipe
//!   closes, which happens when animate ends in any way. This reaches everything the
//!   program started.

use std::io;
use std::process::{Child, Command};

/// Starts `cmd` so that it dies with animate, and lists its process group (its pid:
/// the program is expected to lead a group of its own) with the watchdog.
pub fn spawn(cmd: Command) -> io::Result<Child> {
    imp::spawn(cmd)
}

/// Takes group `pgid` off the watchdog's list once it has been stopped (its id may
/// be reused by another process later).
pub fn unwatch(pgid: u32) {
    imp::tell(-(pgid as i32));
}

#[cfg(target_os = "linux")]
mod imp {
    use std::io::{self, Read, Write};
    use std::os::unix::process::CommandExt;
    use std::process::{Child, ChildStdin, Command, Stdio};
    use std::sync::{Mutex, OnceLock};

    use super::WATCHDOG_ARG;

    type Request = (Command, crossbeam_channel::Sender<io::Result<Child>>);

    pub fn spawn(mut cmd: Command) -> io::Result<Child> {
        let parent = std::process::id() as libc::pid_t;
        let watchdog = pipe().map(|p| p.fd);
        // SAFETY: signal, prctl, getppid, getpid and write are async-signal-safe; nothing is
        // allocated.
        unsafe {
            cmd.pre_exec(move || {
                // animate ignores SIGXFSZ (cli::main); the program gets the default,
                // as it would from a shell.
                libc::signal(libc::SIGXFSZ, libc::SIG_DFL);
                if libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL, 0, 0, 0) != 0 {
                    return Err(io::Error::last_os_error());
                }
                // animate died before the signal was asked for: nobody would send it.
                if libc::getppid() != parent {
                    return Err(io::Error::from_raw_os_error(libc::ESRCH));
                }
                // The program lists its own group (its pid) before it runs, so that
                // nothing it starts can escape the watchdog, however soon animate dies.
                if let Some(fd) = watchdog {
                    let record = libc::getpid().to_ne_bytes();
                    libc::write(fd, record.as_ptr().cast(), record.len());
                }
                Ok(())
            });
        }
        let (tx, rx) = crossbeam_channel::bounded(1);
        launcher()
            .send((cmd, tx))
            .map_err(|_| io::Error::other("the program launcher has stopped"))?;
        rx.recv()
            .map_err(|_| io::Error::other("the program launcher has stopped"))?
    }

    /// The thread that starts every program; it never ends, so the death signal
    /// comes only when the process ends.
    fn launcher() -> &'static crossbeam_channel::Sender<Request> {
        static LAUNCHER: OnceLock<crossbeam_channel::Sender<Request>> = OnceLock::new();
        LAUNCHER.get_or_init(|| {
            let (tx, rx) = crossbeam_channel::unbounded::<Request>();
            // Should the thread not start, `rx` is dropped and `spawn` says so.
            let _ = std::thread::Builder::new()
                .name("program launcher".into())
                .spawn(move || {
                    for (mut cmd, reply) in rx {
                        let _ = reply.send(cmd.spawn());
                    }
                });
            tx
        })
    }

    /// The write end of the watchdog's pipe, and its descriptor for children to use.
    struct Pipe {
        stdin: Mutex<ChildStdin>,
        fd: libc::c_int,
    }

    /// The watchdog's pipe, the watchdog started at the first call.
    fn pipe() -> Option<&'static Pipe> {
        static PIPE: OnceLock<Option<Pipe>> = OnceLock::new();
        PIPE.get_or_init(|| {
            let stdin = start_watchdog()?;
            let fd = std::os::fd::AsRawFd::as_raw_fd(&stdin);
            Some(Pipe {
                stdin: Mutex::new(stdin),
                fd,
            })
        })
        .as_ref()
    }

    /// Sends a group to list (positive) or take off the list (negative) to the
    /// watchdog.
    pub fn tell(record: i32) {
        if let Some(pipe) = pipe() {
            let mut stdin = pipe.stdin.lock().unwrap_or_else(|e| e.into_inner());
            // Four bytes: one atomic pipe write.
            let _ = stdin.write_all(&record.to_ne_bytes());
        }
    }

    /// Starts the watchdog: this program again (a fresh, small process; a fork would
    /// keep a copy of every page animate holds at that moment). It stays in animate's
    /// process group: leading one of its own, it could be hit by a signal meant for a
    /// program's group whose id was reused. It is not waited for: it ends when
    /// animate does.
    fn start_watchdog() -> Option<ChildStdin> {
        let mut cmd = Command::new("/proc/self/exe");
        cmd.arg0("animate")
            .arg(WATCHDOG_ARG)
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        let mut child = cmd.spawn().ok()?;
        child.stdin.take()
    }

    /// The watchdog's life: keeps the groups it is told on stdin, and when stdin
    /// closes (animate has ended, however) kills those still listed.
    pub fn serve() -> ! {
        // Ctrl-C and a terminal closing reach the whole job: animate stops its programs
        // itself then, and the watchdog waits for it to end.
        for sig in [libc::SIGINT, libc::SIGTERM, libc::SIGHUP, libc::SIGQUIT] {
            // SAFETY: ignoring a signal is always sound.
            unsafe { libc::signal(sig, libc::SIG_IGN) };
        }
        let mut groups = std::collections::HashSet::new();
        let mut input = std::io::stdin().lock();
        let mut record = [0u8; 4];
        while input.read_exact(&mut record).is_ok() {
            let g = i32::from_ne_bytes(record);
            if g > 0 {
                groups.insert(g);
            } else {
                groups.remove(&-g);
            }
        }
        for g in groups {
            // SAFETY: a signal to a process group animate started.
            unsafe { libc::kill(-g, libc::SIGKILL) };
        }
        std::process::exit(0)
    }
}

/// The argument that makes `animate` the watchdog of another animate's programs.
const WATCHDOG_ARG: &str = "--internal-program-watchdog";

/// Becomes the watchdog when started as one (from `main`, before anything else);
/// returns at once otherwise.
pub fn serve_if_asked() {
    #[cfg(target_os = "linux")]
    if std::env::args_os()
        .nth(1)
        .is_some_and(|a| a == WATCHDOG_ARG)
    {
        imp::serve();
    }
}

#[cfg(not(target_os = "linux"))]
mod imp {
    pub fn spawn(mut cmd: std::process::Command) -> std::io::Result<std::process::Child> {
        // animate ignores SIGXFSZ (cli::main); the program gets the default back.
        #[cfg(unix)]
        // SAFETY: signal is async-signal-safe.
        unsafe {
            std::os::unix::process::CommandExt::pre_exec(&mut cmd, || {
                libc::signal(libc::SIGXFSZ, libc::SIG_DFL);
                Ok(())
            });
        }
        cmd.spawn()
    }

    pub fn tell(_record: i32) {}
}
