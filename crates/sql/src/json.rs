//! Building JSON text in SQL: the rollback queries return each rule's
//! measure as one JSON object, in exactly the serde form of
//! `logs_core::rollback::Measure`, so Rust reads it back with no mapping.
//! Strings go through `toJSONString` (escaped by ClickHouse); numbers
//! through `toString`.

/// `{"k": v, …}` from (key, SQL expression giving JSON text) pairs.
pub fn object(fields: &[(&str, String)]) -> String {
    let mut parts = vec!["'{'".to_string()];
    for (i, (k, v)) in fields.iter().enumerate() {
        let sep = if i == 0 { "" } else { "," };
        parts.push(format!("'{sep}\"{k}\":'"));
        parts.push(v.clone());
    }
    parts.push("'}'".to_string());
    format!("concat({})", parts.join(", "))
}

/// A string value.
pub fn string(expr: &str) -> String {
    format!("toJSONString(toString({expr}))")
}

/// A number value (integers and finite floats).
pub fn number(expr: &str) -> String {
    format!("toString({expr})")
}

/// A nullable number: `null` when NULL.
pub fn nullable(expr: &str) -> String {
    format!("ifNull(toString({expr}), 'null')")
}

/// A boolean value.
pub fn boolean(expr: &str) -> String {
    format!("if({expr}, 'true', 'false')")
}

/// A JSON array of an `Array` expression, each element `x` written by
/// `element` (a SQL expression over `x`).
pub fn array(expr: &str, element: &str) -> String {
    format!("concat('[', arrayStringConcat(arrayMap(x -> {element}, {expr}), ','), ']')")
}
