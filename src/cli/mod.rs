//! The command layer: parse flags, resolve them into library configuration,
//! run, print, and map the outcome to an exit code (0 clean, 1 findings or
//! rollback, 2 error, 3 hold). `anyhow` lives here and only here.

pub mod args;
mod audit;
mod check;
mod generate;
mod inputs;
mod rollback;
mod signatures_cmd;
mod templates;

use std::io::{self, IsTerminal, Write};

use clap::Parser;

use args::{Cli, ColorChoice, Command};

use crate::report::style::Style;

/// Exit code: clean.
pub const EXIT_CLEAN: i32 = 0;
/// Exit code: findings, or a rollback decision.
pub const EXIT_FINDINGS: i32 = 1;
/// Exit code: error.
pub const EXIT_ERROR: i32 = 2;
/// Exit code: hold (rollback only).
pub const EXIT_HOLD: i32 = 3;

/// Runs the program; returns the process exit code.
pub fn main() -> i32 {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() {
                EXIT_ERROR
            } else {
                EXIT_CLEAN
            };
        }
    };
    let style = Style {
        color: use_color(cli.color),
    };
    let result = match cli.command {
        Command::Check(args) => check::run(*args, style),
        Command::Generate(args) => generate::run(args),
        Command::Rollback(args) => rollback::run(*args, style),
        Command::Signatures(cmd) => signatures_cmd::run(cmd, style),
        Command::Audit(args) => audit::run(*args, style),
        Command::Templates(args) => templates::run(*args, style),
    };
    match result {
        Ok(code) => code,
        Err(e) if is_broken_pipe(&e) => EXIT_CLEAN,
        Err(e) => {
            eprintln!("logs: error: {e:#}");
            EXIT_ERROR
        }
    }
}

fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<io::Error>()
            .is_some_and(|io| io.kind() == io::ErrorKind::BrokenPipe)
    })
}

fn use_color(choice: ColorChoice) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                && std::env::var_os("TERM").is_none_or(|t| t != "dumb")
                && io::stdout().is_terminal()
        }
    }
}

/// Writes printer output to stdout through one buffer. A closed pipe ends
/// the write quietly with the exit code the command already decided.
pub(crate) fn emit(write: impl FnOnce(&mut dyn Write) -> io::Result<()>) -> anyhow::Result<()> {
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    match write(&mut out).and_then(|()| out.flush()) {
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(()),
        other => Ok(other?),
    }
}
