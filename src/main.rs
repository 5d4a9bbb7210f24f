fn main() {
    std::process::exit(logs::cli::main())
}
