fn main() {
    std::process::exit(animate::cli::main());
}
