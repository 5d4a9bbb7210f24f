//! XML 1.0 escaping for the printers that write XML (JUnit).
//!
//! Log text may hold anything. Markup characters become entities; the
//! characters XML 1.0 forbids (C0 controls other than tab and line ends,
//! U+FFFE, U+FFFF) and the discouraged C1 controls become U+FFFD; in
//! attribute values, line ends and tabs become character references so that
//! parsers keep them. (quick-xml's escaping covers markup characters only,
//! so this is written out.)

/// Escapes character data; line ends stay as they are (CR becomes `&#13;` so
/// it survives end-of-line normalisation).
pub fn text(s: &str) -> String {
    escape(s, false)
}

/// Escapes an attribute value (double-quoted).
pub fn attr(s: &str) -> String {
    escape(s, true)
}

fn escape(s: &str, attribute: bool) -> String {
    let mut out = String::with_capacity(s.len() + s.len() / 8);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' if attribute => out.push_str("&quot;"),
            '\n' if attribute => out.push_str("&#10;"),
            '\t' if attribute => out.push_str("&#9;"),
            '\r' => out.push_str("&#13;"),
            '\t' | '\n' => out.push(c),
            '\u{0}'..='\u{1f}' | '\u{7f}'..='\u{9f}' | '\u{fffe}' | '\u{ffff}' => {
                out.push('\u{fffd}')
            }
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_replaces_forbidden_characters() {
        assert_eq!(text("a<b>&]]>"), "a&lt;b&gt;&amp;]]&gt;");
        assert_eq!(
            text("x\u{1b}[31m\u{0}y\u{ffff}"),
            "x\u{fffd}[31m\u{fffd}y\u{fffd}"
        );
        assert_eq!(text("l1\nl2\r\n\t"), "l1\nl2&#13;\n\t");
        assert_eq!(attr("say \"hi\"\n\tnow"), "say &quot;hi&quot;&#10;&#9;now");
        assert_eq!(attr("'é' 😀"), "'é' 😀");
    }
}
