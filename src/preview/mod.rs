//! `animate preview`: a page on 127.0.0.1 that shows the scene while it is written.
//! The scene and every file it reads are watched; each save reloads the scene into a
//! new revision the page picks up, and frames render on demand at preview size.

mod cache;
mod http;
mod job;
mod json;
mod open;
mod query;
mod server;
mod state;
mod token;
mod watch;

use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::Duration;

use crate::base::error::Error;
use crate::cli::PreviewArgs;

/// Serves the preview until Ctrl-C.
pub fn run(a: PreviewArgs) -> Result<(), Error> {
    // The scene must exist to be watched; errors inside it show in the page.
    if a.common.scene.as_os_str() == "-" {
        return Err(Error::Usage(
            "the preview watches its scene file for changes, so it cannot read one from \
             standard input (`-`): save the scene to a file"
                .into(),
        ));
    }
    if let Err(e) = std::fs::metadata(&a.common.scene) {
        return Err(Error::Usage(format!(
            "cannot read the scene {}: {e}",
            a.common.scene.display()
        )));
    }
    let stop = crate::cli::interrupt_flag();
    let state = Arc::new(state::State::new());
    let scene = crate::cli::SceneArgs {
        scene: a.common.scene.clone(),
        set: a.common.set.clone(),
    };
    let mode = crate::cli::programs_when(a.allow_programs);
    watch::start(state.clone(), a.common, mode)?;
    // Ctrl-C while the first load read a stream (a `stdin` clip): nothing was served.
    if stop.load(Ordering::SeqCst) {
        return Err(Error::Render(
            crate::base::error::RenderError::interrupted().0,
        ));
    }
    let port = a.port.unwrap_or(0);
    let server = http::Server::bind(port)
        .map_err(|e| Error::Usage(format!("cannot listen on 127.0.0.1:{port}: {e}")))?;
    let port = server.port().unwrap_or(port);
    let token = token::new();
    let url = format!("http://127.0.0.1:{port}/?token={token}");
    crate::base::report::stdout(format!("{url}\n"))?;
    crate::base::report::line(format_args!(
        "preview: serving the scene at {url} (Ctrl-C stops)"
    ));
    if a.open {
        open::browser(&url);
    }
    let app = Arc::new(server::App::new(
        state,
        token,
        a.size,
        scene,
        a.allow_programs,
    ));
    let requests = server.start();
    // Frames render on these threads in parallel; a waiting state request moves to a
    // thread of its own, so it never holds one of them.
    let workers = crate::base::parallel::cores() + 1;
    for _ in 0..workers {
        let (requests, app) = (requests.clone(), app.clone());
        std::thread::spawn(move || {
            while let Ok(request) = requests.recv() {
                server::handle(&app, request);
            }
        });
    }
    while !stop.load(Ordering::SeqCst) {
        std::thread::sleep(Duration::from_millis(100));
    }
    app.finish_render(Duration::from_secs(10));
    Ok(())
}
