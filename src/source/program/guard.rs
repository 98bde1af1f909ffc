//! Programs do not outlive animate, even when it is killed with SIGKILL and cannot
//! stop them (Linux). Two guards, because each misses what the other catches:
//!
//! - the program is started with `PR_SET_PDEATHSIG = SIGKILL`. The kernel sends that
//!   signal when the *thread* that started the program ends, so every program is
//!   started by one launcher thread that lives as long as the process; render workers
//!   and measurement passes come and go. This reaches the program itself (and what it
//!   `exec`s), not what it forks: `sh -c "a; b"` would leave `a` running;
//! - a watchdog process, forked once, learns each program's process group through a
//!   pipe and kills the groups still listed when the pipe closes, which happens when
//!   animate ends in any way. This reaches everything the program started, but a
//!   program killed before its group was listed would escape it.

use std::io;
use std::process::{Child, Command};

/// Starts `cmd` so that it dies with animate; the caller lists its group with
/// [`watch`] (the program is expected to lead a group of its own).
pub fn spawn(cmd: Command) -> io::Result<Child> {
    imp::spawn(cmd)
}

/// Lists process group `pgid` with the watchdog: killed if animate ends first.
pub fn watch(pgid: u32) {
    imp::tell(pgid as i32);
}

/// Takes group `pgid` off the watchdog's list once it has been stopped (its id may
/// be reused by another process later).
pub fn unwatch(pgid: u32) {
    imp::tell(-(pgid as i32));
}

#[cfg(target_os = "linux")]
mod imp {
    use std::fs::File;
    use std::io::{self, Write};
    use std::os::fd::FromRawFd;
    use std::os::unix::process::CommandExt;
    use std::process::{Child, Command};
    use std::sync::{Mutex, OnceLock};

    type Request = (Command, crossbeam_channel::Sender<io::Result<Child>>);

    pub fn spawn(mut cmd: Command) -> io::Result<Child> {
        let parent = std::process::id() as libc::pid_t;
        // SAFETY: prctl, getppid are async-signal-safe; nothing is allocated.
        unsafe {
            cmd.pre_exec(move || {
                if libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL, 0, 0, 0) != 0 {
                    return Err(io::Error::last_os_error());
                }
                // animate died before the signal was asked for: nobody would send it.
                if libc::getppid() != parent {
                    return Err(io::Error::from_raw_os_error(libc::ESRCH));
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

    /// Sends a group to list (positive) or take off the list (negative) to the
    /// watchdog, starting it at the first call.
    pub fn tell(record: i32) {
        static PIPE: OnceLock<Option<Mutex<File>>> = OnceLock::new();
        if let Some(pipe) = PIPE.get_or_init(start_watchdog) {
            let mut pipe = pipe.lock().unwrap_or_else(|e| e.into_inner());
            // Four bytes: one atomic pipe write.
            let _ = pipe.write_all(&record.to_ne_bytes());
        }
    }

    /// Forks the watchdog and returns the write end of its pipe.
    fn start_watchdog() -> Option<Mutex<File>> {
        let mut fds = [0; 2];
        // SAFETY: plain system calls; the child runs only async-signal-safe code.
        unsafe {
            if libc::pipe2(fds.as_mut_ptr(), libc::O_CLOEXEC) != 0 {
                return None;
            }
            match libc::fork() {
                -1 => {
                    libc::close(fds[0]);
                    libc::close(fds[1]);
                    None
                }
                0 => watchdog(fds[0]),
                _ => {
                    libc::close(fds[0]);
                    Some(Mutex::new(File::from_raw_fd(fds[1])))
                }
            }
        }
    }

    /// The watchdog: keeps the groups it is told, and when the pipe closes (animate
    /// has ended) kills those still listed.
    ///
    /// # Safety
    /// Runs in the child of a fork of a threaded process: only async-signal-safe
    /// calls, no allocation.
    unsafe fn watchdog(read: libc::c_int) -> ! {
        // Its own session: a signal to animate's process group (the shell's job) does
        // not end the watchdog before it has done its work.
        libc::setsid();
        // Every other descriptor is closed, so that no pipe animate waits on stays
        // open here (the write end of this one included).
        libc::dup2(read, 0);
        if libc::syscall(libc::SYS_close_range, 1u32, u32::MAX, 0u32) != 0 {
            for fd in 1..65_536 {
                libc::close(fd);
            }
        }
        const MAX: usize = 4096;
        let mut groups = [0i32; MAX];
        let mut count = 0;
        let mut buf = [0u8; 4096];
        let mut have = 0;
        loop {
            let n = libc::read(0, buf.as_mut_ptr().add(have).cast(), buf.len() - have);
            if n < 0 && *libc::__errno_location() == libc::EINTR {
                continue;
            }
            if n <= 0 {
                break;
            }
            have += n as usize;
            let whole = have - have % 4;
            for chunk in buf[..whole].chunks_exact(4) {
                let record = i32::from_ne_bytes([chunk[0], chunk[1], chunk[2], chunk[3]]);
                if record > 0 {
                    if count < MAX {
                        groups[count] = record;
                        count += 1;
                    }
                } else if let Some(i) = groups[..count].iter().position(|&g| g == -record) {
                    count -= 1;
                    groups[i] = groups[count];
                }
            }
            buf.copy_within(whole..have, 0);
            have -= whole;
        }
        for &g in &groups[..count] {
            libc::kill(-g, libc::SIGKILL);
        }
        libc::_exit(0)
    }
}

#[cfg(not(target_os = "linux"))]
mod imp {
    pub fn spawn(mut cmd: std::process::Command) -> std::io::Result<std::process::Child> {
        cmd.spawn()
    }

    pub fn tell(_record: i32) {}
}
