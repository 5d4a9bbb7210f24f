//! `logs signatures list|test`.

use std::path::PathBuf;

use clap::Subcommand;

use super::common::named;
use super::{Context, EXIT_CLEAN, EXIT_FINDINGS, emit};
use crate::report::signatures::SignaturesFormat;
use crate::signatures::{SignatureSet, check_examples, load_catalog};

#[derive(Debug, Subcommand)]
pub enum SignaturesCommand {
    /// Print the catalog: id, severity, field, title, source file.
    List {
        /// More signatures: a TOML file or a folder of them (repeatable).
        #[arg(long, value_name = "PATH")]
        signatures: Vec<PathBuf>,
        /// Output format.
        #[arg(long, value_parser = named::<SignaturesFormat>(), default_value = "table")]
        format: SignaturesFormat,
    },
    /// Check every signature's examples (must-match and must-not-match) and
    /// the catalog's validity, exactly as `logs check` would load it (ids
    /// must be unique across the built-in catalog and yours). Exit 1 if an
    /// example fails, 2 if the catalog is invalid.
    Test {
        /// A catalog file or folder to test with the built-in one (the
        /// built-in one alone when absent).
        #[arg(value_name = "PATH")]
        path: Option<PathBuf>,
        /// Test PATH alone, as with `logs check --no-builtin`.
        #[arg(long, requires = "path")]
        no_builtin: bool,
    },
}

pub fn run(cmd: SignaturesCommand, ctx: &Context) -> anyhow::Result<i32> {
    match cmd {
        SignaturesCommand::List { signatures, format } => {
            let mut paths = ctx.config.signatures.clone();
            paths.extend(signatures);
            let defs = load_catalog(!ctx.config.file.no_builtin, &paths)?;
            // Compiling validates the regexes too.
            SignatureSet::new(defs.clone())?;
            emit(|out| crate::report::signatures::write(&defs, format, ctx.style, out))?;
            Ok(EXIT_CLEAN)
        }
        SignaturesCommand::Test { path, no_builtin } => {
            // Validated exactly as `logs check` loads it (ids unique across
            // the built-in catalog and PATH); the examples run are PATH's.
            if path.is_some() && !no_builtin {
                SignatureSet::new(load_catalog(true, path.as_slice())?)?;
            }
            let defs = load_catalog(path.is_none(), path.as_slice())?;
            let n = defs.len();
            let set = SignatureSet::new(defs)?;
            let (checked, failures) = check_examples(&set);
            for f in &failures {
                eprintln!("logs: {f}");
            }
            let style = ctx.style;
            let verdict = if failures.is_empty() {
                style.green("ok")
            } else {
                style.red("FAILED")
            };
            emit(|out| {
                writeln!(
                    out,
                    "{verdict}: {n} signatures, {checked} examples, {} failed",
                    failures.len()
                )
            })?;
            Ok(if failures.is_empty() {
                EXIT_CLEAN
            } else {
                EXIT_FINDINGS
            })
        }
    }
}
