//! `logs signatures list|test`.

use comfy_table::{ContentArrangement, Table, presets::UTF8_FULL_CONDENSED};

use super::args::SignaturesCommand;
use super::{EXIT_CLEAN, EXIT_FINDINGS, emit};
use crate::report::OutputFormat;
use crate::report::style::Style;
use crate::signatures::{SignatureSet, check_examples, load_catalog};

pub fn run(cmd: SignaturesCommand, style: Style) -> anyhow::Result<i32> {
    match cmd {
        SignaturesCommand::List { signatures, format } => {
            let defs = load_catalog(true, &signatures)?;
            // Compiling validates the regexes too.
            SignatureSet::new(defs.clone())?;
            emit(|out| match format {
                OutputFormat::Json => {
                    serde_json::to_writer_pretty(&mut *out, &defs)?;
                    writeln!(out)
                }
                _ => {
                    let mut t = Table::new();
                    t.load_preset(UTF8_FULL_CONDENSED)
                        .set_content_arrangement(ContentArrangement::Dynamic);
                    if !style.color {
                        t.force_no_tty();
                    }
                    t.set_header(["Signature", "Severity", "Field", "Title", "Source"]);
                    for d in &defs {
                        let field = serde_json::to_value(d.field)
                            .ok()
                            .and_then(|v| v.as_str().map(String::from));
                        t.add_row(vec![
                            d.id.clone(),
                            d.severity.to_string(),
                            field.unwrap_or_default(),
                            d.title.clone(),
                            d.source.clone(),
                        ]);
                    }
                    writeln!(out, "{t}")?;
                    writeln!(out, "{} signatures", defs.len())
                }
            })?;
            Ok(EXIT_CLEAN)
        }
        SignaturesCommand::Test { path } => {
            let defs = match &path {
                Some(p) => load_catalog(false, std::slice::from_ref(p))?,
                None => load_catalog(true, &[])?,
            };
            let n = defs.len();
            let set = SignatureSet::new(defs)?;
            let (checked, failures) = check_examples(&set);
            for f in &failures {
                eprintln!("logs: {f}");
            }
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
