//! Catalog errors that name the place: the signature a TOML error falls in,
//! the key on its line, and keys the schema does not know.
//!
//! serde reports an unknown key or a wrong value with a byte span only. The
//! catalog is checked as a plain TOML table first, so that an unknown key
//! names its signature, and a typed error's span is mapped back to the
//! `[[signature]]` block and the key it sits in.

use super::error::CatalogError;

/// The keys a `[[signature]]` table may have.
pub const SIGNATURE_KEYS: &[&str] = &[
    "id", "title", "severity", "field", "anchors", "regex", "sources", "meaning", "action",
    "matches", "rejects",
];

/// Unknown top-level keys and unknown keys of each signature, as errors that
/// name the file, the signature (by id, else by position) and the key.
pub fn check_keys(file: &str, table: &toml::Table) -> Result<(), CatalogError> {
    for key in table.keys() {
        if key != "signature" {
            return Err(CatalogError::new(
                file,
                None,
                format!("unknown top-level key `{key}` (a catalog holds `[[signature]]` tables)"),
            ));
        }
    }
    let Some(sigs) = table.get("signature") else {
        return Ok(());
    };
    let Some(sigs) = sigs.as_array() else {
        return Err(CatalogError::new(
            file,
            None,
            "`signature` must be an array of tables (`[[signature]]`)",
        ));
    };
    for (i, sig) in sigs.iter().enumerate() {
        let Some(t) = sig.as_table() else {
            return Err(CatalogError::new(
                file,
                None,
                format!("signature #{} is not a table", i + 1),
            ));
        };
        if let Some(key) = t.keys().find(|k| !SIGNATURE_KEYS.contains(&k.as_str())) {
            return Err(CatalogError::new(
                file,
                Some(&name(t, i)),
                format!(
                    "unknown key `{key}` (known keys: {})",
                    SIGNATURE_KEYS.join(", ")
                ),
            ));
        }
    }
    Ok(())
}

/// A signature's id, or `#N` when it has none.
fn name(t: &toml::Table, index: usize) -> String {
    match t.get("id").and_then(|v| v.as_str()) {
        Some(id) => id.to_string(),
        None => format!("#{}", index + 1),
    }
}

/// The signature whose `[[signature]]` block holds byte `offset` of `text`.
pub fn signature_at(text: &str, offset: usize, table: &toml::Table) -> Option<String> {
    let before = text.get(..offset.min(text.len()))?;
    let n = before
        .lines()
        .filter(|l| l.trim() == "[[signature]]")
        .count();
    let index = n.checked_sub(1)?;
    let t = table.get("signature")?.as_array()?.get(index)?.as_table()?;
    Some(name(t, index))
}

/// The key assigned on the line holding byte `offset` (`severity` for
/// `severity = "urgent"`), when that line is an assignment.
pub fn key_at(text: &str, offset: usize) -> Option<&str> {
    let offset = offset.min(text.len());
    let start = text.get(..offset)?.rfind('\n').map_or(0, |i| i + 1);
    let line = text.get(start..)?.lines().next()?;
    let (key, _) = line.split_once('=')?;
    let key = key.trim();
    let simple = !key.is_empty()
        && key
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
    simple.then_some(key)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_keys_name_the_signature_and_the_key() {
        let t: toml::Table =
            toml::from_str("[[signature]]\nid = \"a\"\nsource = [\"lambda\"]\n").unwrap();
        let e = check_keys("x.toml", &t).unwrap_err();
        assert!(
            e.to_string()
                .starts_with("x.toml: signature `a`: unknown key `source`"),
            "{e}"
        );
        let t: toml::Table = toml::from_str("[[signatures]]\nid = \"a\"\n").unwrap();
        assert!(
            check_keys("x.toml", &t)
                .unwrap_err()
                .to_string()
                .contains("unknown top-level key `signatures`")
        );
    }

    #[test]
    fn spans_map_back_to_signature_and_key() {
        let text =
            "[[signature]]\nid = \"a\"\n\n[[signature]]\nid = \"b\"\nseverity = \"urgent\"\n";
        let t: toml::Table = toml::from_str(text).unwrap();
        let at = text.find("\"urgent\"").unwrap();
        assert_eq!(signature_at(text, at, &t).as_deref(), Some("b"));
        assert_eq!(key_at(text, at), Some("severity"));
        assert_eq!(signature_at(text, 0, &t), None);
    }
}
