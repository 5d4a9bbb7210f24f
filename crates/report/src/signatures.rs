//! `logs signatures list`: the catalog as a table for people, or versioned
//! JSON (`logs.signatures/v1`) for programs.

use std::io::{self, Write};

use serde::Serialize;

use super::grid::{Column, Grid, GridCell};
use super::style::Style;
use logs_core::signatures::SignatureDef;

/// Ids and severities stay whole; the title and the catalog file give way
/// on a narrow terminal.
const COLUMNS: [Column; 5] = [
    Column::whole("Signature", 0),
    Column::whole("Severity", 0),
    Column::whole("Field", 1),
    Column::text("Title", 16, 2),
    Column::text("Source", 12, 1),
];

/// Schema name and version of the JSON output.
pub const SCHEMA: &str = "logs.signatures/v1";

pub use logs_core::formats::SignaturesFormat;

#[derive(Serialize)]
struct Listing<'a> {
    schema: &'static str,
    signatures: &'a [SignatureDef],
}

/// Writes the catalog in `format`.
pub fn write(
    defs: &[SignatureDef],
    format: SignaturesFormat,
    style: Style,
    out: &mut dyn Write,
) -> io::Result<()> {
    match format {
        SignaturesFormat::Json => {
            let listing = Listing {
                schema: SCHEMA,
                signatures: defs,
            };
            serde_json::to_writer_pretty(&mut *out, &listing)?;
            writeln!(out)
        }
        SignaturesFormat::Table => {
            let mut t = Grid::new(&COLUMNS);
            for d in defs {
                let field = serde_json::to_value(d.field)
                    .ok()
                    .and_then(|v| v.as_str().map(String::from));
                t.row([
                    GridCell::from(d.id.as_str()),
                    GridCell::colored(d.severity.to_string(), style.severity_color(d.severity)),
                    field.unwrap_or_default().into(),
                    d.title.as_str().into(),
                    d.source.as_str().into(),
                ]);
            }
            writeln!(out, "{}", t.render(style))?;
            writeln!(out, "{} signatures", defs.len())
        }
    }
}
