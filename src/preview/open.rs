//! `--open`: the page in the system's browser.

/// Starts the system's opener for `url`; a failure is a warning, the server runs on.
pub fn browser(url: &str) {
    let mut command = if cfg!(target_os = "macos") {
        std::process::Command::new("open")
    } else if cfg!(windows) {
        let mut c = std::process::Command::new("cmd");
        c.args(["/C", "start", ""]);
        c
    } else {
        std::process::Command::new("xdg-open")
    };
    let started = command
        .arg(url)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn();
    if let Err(e) = started {
        crate::base::report::warn(format_args!(
            "--open: cannot start the browser ({e}); open the address above by hand"
        ));
    }
}
