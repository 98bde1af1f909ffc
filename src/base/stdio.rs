//! Whether standard output was closed when animate started. Rust's runtime opens
//! `/dev/null` (read and write) in place of a closed standard descriptor before `main`,
//! so `-o -` with stdout closed (`>&-`) would write a whole GIF into nothing and exit 0.

/// True when descriptor 1 is `/dev/null` opened for reading and writing: what the
/// runtime puts there. A shell's `> /dev/null` opens it for writing only.
#[cfg(target_os = "linux")]
pub fn stdout_was_closed() -> bool {
    // SAFETY: fstat and fcntl only read the descriptor's state into local memory.
    unsafe {
        let mut st: libc::stat = std::mem::zeroed();
        if libc::fstat(1, &mut st) != 0 {
            return true;
        }
        let null = st.st_mode & libc::S_IFMT == libc::S_IFCHR && st.st_rdev == libc::makedev(1, 3);
        let flags = libc::fcntl(1, libc::F_GETFL);
        null && flags >= 0 && flags & libc::O_ACCMODE == libc::O_RDWR
    }
}

#[cfg(not(target_os = "linux"))]
pub fn stdout_was_closed() -> bool {
    false
}
