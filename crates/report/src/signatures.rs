//! `logs signatures list`: the catalog as a table for people, or versioned
//! JSON (`logs.signatures/v1`) for programs.

use std::io::{self, Write};

use serde::Serialize;

use super::style::Style;
use logs_core::signatures::SignatureDef;

/// Schema name and version of the JSON output.
pub const SCHEMA: &str = "logs.signatures/v1";

logs_core::named_enum!(
    /// Output formats of `logs signatures list`.
    SignaturesFormat {
        Table = "table": "A table for people (default)",
        Json = "json": "Versioned JSON (logs.signatures/v1): every signature with its anchors, regex and examples",
    }
);

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
            let mut t = style.table();
            t.set_header(["Signature", "Severity", "Field", "Title", "Source"]);
            for d in defs {
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
    }
}
