fn main() {
    std::process::exit(animate::cli::main(animate::preview::run));
}
