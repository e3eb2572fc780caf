//! The `hep` command; everything it does lives in the library.

use clap::Parser;

fn main() -> std::process::ExitCode {
    hep::cli::run(hep::cli::Cli::parse())
}
