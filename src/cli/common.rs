//! Flags shared by several commands (as the user typed them), and the value
//! parser for library enums chosen by name. Nothing below the command layer
//! sees these types.

use std::marker::PhantomData;
use std::path::PathBuf;

use clap::builder::{PossibleValue, TypedValueParser};
use clap::{Args, ValueEnum};

use crate::named::Named;

/// The most worker threads `-j` accepts.
pub const MAX_THREADS: usize = 256;

/// Parses a [`Named`] library enum, listing its names in `--help`.
#[derive(Clone)]
pub struct NamedParser<T>(PhantomData<T>);

pub fn named<T: Named>() -> NamedParser<T> {
    NamedParser(PhantomData)
}

impl<T: Named> TypedValueParser for NamedParser<T> {
    type Value = T;

    fn parse_ref(
        &self,
        cmd: &clap::Command,
        arg: Option<&clap::Arg>,
        value: &std::ffi::OsStr,
    ) -> Result<T, clap::Error> {
        let text = value.to_string_lossy();
        T::parse(&text).ok_or_else(|| {
            let mut e = clap::Error::new(clap::error::ErrorKind::InvalidValue).with_cmd(cmd);
            e.insert(
                clap::error::ContextKind::InvalidArg,
                clap::error::ContextValue::String(arg.map_or("--format".into(), |a| a.to_string())),
            );
            e.insert(
                clap::error::ContextKind::InvalidValue,
                clap::error::ContextValue::String(text.into_owned()),
            );
            e.insert(
                clap::error::ContextKind::ValidValue,
                clap::error::ContextValue::Strings(
                    T::ALL.iter().map(|(_, n, _)| n.to_string()).collect(),
                ),
            );
            e
        })
    }

    fn possible_values(&self) -> Option<Box<dyn Iterator<Item = PossibleValue> + '_>> {
        Some(Box::new(T::ALL.iter().map(|(_, name, help)| {
            PossibleValue::new(*name).help(*help)
        })))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ProgressChoice {
    Auto,
    Never,
}

/// Reading inputs: which files, which format, how many threads.
#[derive(Debug, Clone, Args)]
pub struct ReadArgs {
    /// Export files to read (any shape, gzip or plain); `-` reads stdin. With
    /// none, stdin is read when it is not a terminal.
    #[arg(value_name = "PATH")]
    pub paths: Vec<String>,
    /// Force the input format instead of detecting it: ndjson (also JSON
    /// arrays, one or many per line), json-document (pretty-printed), csv.
    #[arg(long, value_name = "FORMAT")]
    pub input_format: Option<String>,
    /// Worker threads, 1 to 256 [default: all cores].
    #[arg(short = 'j', long, value_name = "N")]
    pub threads: Option<usize>,
    /// Treat malformed records as an error (exit 2) and parse every record in
    /// full, not only the candidates.
    #[arg(long)]
    pub strict: bool,
    /// Show a progress bar on stderr: auto (when stderr is a terminal), never.
    #[arg(long, value_enum, default_value_t = ProgressChoice::Auto, value_name = "WHEN")]
    pub progress: ProgressChoice,
    /// Chunk size in bytes for parallel scanning (tuning and tests).
    #[arg(long, hide = true, value_name = "BYTES")]
    pub chunk_size: Option<usize>,
}

/// Which signature catalogs to use.
#[derive(Debug, Args)]
pub struct CatalogArgs {
    /// More signatures: a TOML file or a folder of them (repeatable; also
    /// `signatures = [...]` in logs.toml).
    #[arg(long, value_name = "PATH")]
    pub signatures: Vec<PathBuf>,
    /// Use only the --signatures catalogs, not the built-in one.
    #[arg(long)]
    pub no_builtin: bool,
}

/// Record filters.
#[derive(Debug, Args)]
pub struct FilterArgs {
    /// Only records at or after this time: RFC 3339 (2026-01-19T08:00:00Z), a
    /// date (2026-01-19, midnight UTC), or a duration before now (30m, 2h, 7d).
    #[arg(long, value_name = "TIME")]
    pub since: Option<String>,
    /// Only records before this time (same forms as --since).
    #[arg(long, value_name = "TIME")]
    pub until: Option<String>,
    /// Only records of this deployment: its id (dpl_…), its URL host
    /// (my-app-abc123.vercel.app), or a URL as copied from the browser.
    #[arg(long, value_name = "ID")]
    pub deployment: Option<String>,
    /// Only records of this environment (production, preview).
    #[arg(long, value_name = "ENV")]
    pub environment: Option<String>,
}
