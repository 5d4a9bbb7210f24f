//! The command layer: parse flags, load `logs.toml`, resolve both into
//! library configuration, run, print, and map the outcome to an exit code
//! (0 clean, 1 findings or rollback, 2 error, 3 hold). `anyhow` lives here
//! and only here.

pub mod args;
mod audit;
mod check;
pub mod common;
mod generate;
mod inputs;
mod manual;
mod progress;
mod rollback;
mod serve;
mod serve_judge;
mod signatures_cmd;
mod sql;
mod templates;

use std::io::{self, IsTerminal, Write};

use anyhow::Context as _;
use clap::Parser;

use args::{Cli, Command};
use common::ColorChoice;

use crate::config::RepoConfig;
use crate::report::style::Style;

/// Exit code: clean.
pub const EXIT_CLEAN: i32 = 0;
/// Exit code: findings, or a rollback decision.
pub const EXIT_FINDINGS: i32 = 1;
/// Exit code: error.
pub const EXIT_ERROR: i32 = 2;
/// Exit code: hold (rollback only).
pub const EXIT_HOLD: i32 = 3;

/// What every command gets besides its own flags.
pub struct Context {
    pub style: Style,
    pub config: RepoConfig,
}

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
        width: terminal_width(),
    };
    let result = load_config(&cli).and_then(|config| {
        let ctx = Context { style, config };
        match cli.command {
            Command::Check(args) => check::run(*args, &ctx),
            Command::Generate(args) => generate::run(args),
            Command::Rollback(args) => rollback::run(*args, &ctx),
            Command::Serve(args) => serve::run(*args, &ctx),
            Command::Signatures(cmd) => signatures_cmd::run(cmd, &ctx),
            Command::Sql(args) => sql::run(*args, &ctx),
            Command::Audit(args) => audit::run(*args, &ctx),
            Command::Templates(args) => templates::run(*args, &ctx),
            Command::Completions { shell } => manual::completions(shell),
            Command::Man => manual::man(),
        }
    });
    match result {
        Ok(code) => code,
        Err(e) if is_broken_pipe(&e) => EXIT_CLEAN,
        Err(e) => {
            eprintln!("logs: error: {e:#}");
            EXIT_ERROR
        }
    }
}

/// The config file the flags name, or the `logs.toml` found from the
/// current directory upward, or none.
fn load_config(cli: &Cli) -> anyhow::Result<RepoConfig> {
    if cli.no_config {
        return Ok(RepoConfig::default());
    }
    let path = match &cli.config {
        Some(p) => Some(p.clone()),
        None => std::env::current_dir()
            .ok()
            .and_then(|d| crate::config::find(&d)),
    };
    match path {
        None => Ok(RepoConfig::default()),
        Some(p) => {
            crate::config::load(&p).context("invalid config file (pass --no-config to ignore it)")
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

/// The terminal's width when stdout is one (80 when it reports zero).
fn terminal_width() -> Option<usize> {
    if !io::stdout().is_terminal() {
        return None;
    }
    let cols = terminal_size::terminal_size().map_or(0, |(w, _)| w.0 as usize);
    Some(if cols == 0 { 80 } else { cols })
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
