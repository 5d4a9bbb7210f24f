//! The `logs` binary: everything lives in the library; see `logs::cli`.

fn main() {
    std::process::exit(logs::cli::main())
}
