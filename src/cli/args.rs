//! The command line as the user typed it (clap): global flags and the
//! subcommands. Each command's own flags live in its file; flags shared by
//! several live in [`super::common`]. Nothing below the command layer sees
//! these types: each command resolves them into its library configuration
//! once.

use std::path::PathBuf;

use clap::{Parser, Subcommand};

use super::common::ColorChoice;

pub const EXIT_CODES: &str = "\
Exit codes:
  0  clean: nothing at or above --fail-on (rollback: proceed; audit, templates: the report ran)
  1  findings at or above --fail-on (rollback: roll back)
  2  error: bad arguments, unreadable or truncated input, nothing to check, invalid
     catalog, policy or config
  3  rollback only: hold, keep watching";

#[derive(Debug, Parser)]
#[command(
    name = "logs",
    version,
    about = "Find incidents in Vercel logs",
    long_about = "Find incidents in Vercel logs.\n\n\
        Reads any Vercel export (log drain NDJSON or batches, dashboard JSON, CSV or \
        \"Copy logs\" text, `vercel logs --json` of either CLI era; gzip or plain; files \
        or - for stdin), matches the known error signatures, and answers the on-call \
        questions: did this deploy bring known errors (check), should the canary be \
        rolled back (rollback), what is failing this week (audit).\n\n\
        Settings shared by a team live in logs.toml (found in the current directory or \
        a parent; see `logs check --help`).",
    after_long_help = EXIT_CODES,
    propagate_version = true
)]
pub struct Cli {
    /// When to colour output: auto (a terminal, and NO_COLOR unset), always, never.
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN")]
    pub color: ColorChoice,
    /// Read settings from this file instead of the logs.toml found in the
    /// current directory or its parents.
    #[arg(long, global = true, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Ignore any logs.toml.
    #[arg(long, global = true, conflicts_with = "config")]
    pub no_config: bool,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Gate CI on known error signatures: exit 1 when one is found.
    #[command(
        long_about = super::check::CHECK_ABOUT,
        after_long_help = super::check::CHECK_HELP
    )]
    Check(Box<super::check::CheckArgs>),
    /// Decide a canary: roll back, hold, or proceed, with the evidence.
    #[command(
        long_about = super::rollback::ROLLBACK_ABOUT,
        after_long_help = super::rollback::ROLLBACK_HELP
    )]
    Rollback(Box<super::rollback::RollbackArgs>),
    /// The weekly error audit: signature trends per period, new and resolved,
    /// unknown errors grouped with suggested signatures.
    #[command(
        long_about = super::audit::AUDIT_ABOUT,
        after_long_help = super::audit::AUDIT_HELP
    )]
    Audit(Box<super::audit::AuditArgs>),
    /// Group messages into templates and count them (exports or plain text).
    #[command(
        long_about = super::templates::TEMPLATES_ABOUT,
        after_long_help = super::templates::TEMPLATES_HELP
    )]
    Templates(Box<super::templates::TemplatesArgs>),
    /// Receive a Vercel log drain: store every record by hour, judge the
    /// canary live.
    #[command(
        long_about = super::serve::SERVE_ABOUT,
        after_long_help = super::serve::SERVE_HELP
    )]
    Serve(Box<super::serve::ServeArgs>),
    /// Print ClickHouse SQL for a log store: the drain table, and the
    /// check, rollback and audit queries generated from the catalog and policy.
    #[command(
        long_about = super::sql::SQL_ABOUT,
        after_long_help = super::sql::SQL_HELP
    )]
    Sql(Box<super::sql::SqlArgs>),
    /// List the signature catalog, or test its examples.
    #[command(subcommand)]
    Signatures(super::signatures_cmd::SignaturesCommand),
    /// Write a realistic synthetic export (deterministic for a seed), for
    /// trying the tool, demos and benchmarks.
    #[command(after_long_help = "Examples:\n  \
        logs generate --shape drain-ndjson --size 512MB -o bench.ndjson\n  \
        logs generate --shape dashboard-json --records 5000 | logs check -")]
    Generate(super::generate::GenerateArgs),
    /// Print a shell completion script (bash, zsh, fish, powershell, elvish).
    #[command(after_long_help = "Examples:\n  \
        logs completions bash > ~/.local/share/bash-completion/completions/logs\n  \
        logs completions zsh > \"${fpath[1]}/_logs\"\n  \
        logs completions fish > ~/.config/fish/completions/logs.fish")]
    Completions {
        /// The shell.
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff) of logs and its commands.
    #[command(after_long_help = "Example:\n  logs man > logs.1 && man ./logs.1")]
    Man,
}
