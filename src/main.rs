fn main() {
    // The watchdog of another animate's programs (see source/program/guard.rs).
    animate::source::program::serve_as_watchdog_if_asked();
    std::process::exit(animate::cli::main(animate::preview::run));
}
