//! Escaping log text for each output format. Every field of a log is
//! hostile: a path with a backtick, a message with `<img>` or a link, an id
//! with `$(…)`. Printers put log text into Markdown and HTML only through
//! these functions, which also keep it on one line and bound its length.

/// Longest log text put into one Markdown span or cell, in characters.
pub const MD_MAX: usize = 400;

fn one_line(s: &str, max: usize) -> String {
    let mut out = String::with_capacity(s.len().min(max * 4));
    for (n, c) in s.chars().enumerate() {
        if n == max {
            out.push('…');
            break;
        }
        out.push(if c.is_control() { ' ' } else { c });
    }
    out
}

/// Plain Markdown text (also safe in a table cell): every character that
/// Markdown, GitHub or HTML could act on is backslash-escaped, so no
/// emphasis, link, image, HTML tag, math, strike-through or cell break can
/// come from log text.
pub fn md_text(s: &str) -> String {
    let line = one_line(s, MD_MAX);
    let chars: Vec<char> = line.chars().collect();
    let mut out = String::with_capacity(line.len() + 8);
    for (i, &c) in chars.iter().enumerate() {
        let escape = match c {
            '\\' | '`' | '*' | '[' | ']' | '<' | '>' | '|' | '~' | '$' => true,
            // An underscore inside a word never starts emphasis (dpl_abc).
            '_' => {
                let alnum = |j: Option<&char>| j.is_some_and(|c| c.is_alphanumeric());
                !(i > 0 && alnum(chars.get(i - 1)) && alnum(chars.get(i + 1)))
            }
            _ => false,
        };
        if escape {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// An inline code span holding `s` literally: the fence is longer than any
/// run of backticks inside, so the text cannot close it. `|` is escaped so
/// the span is safe in a GFM table cell (GitHub renders `\|` as `|` there).
pub fn md_code(s: &str) -> String {
    let text = one_line(s, MD_MAX).replace('|', "\\|");
    let longest = text.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest + 1);
    let pad = if text.starts_with('`') || text.ends_with('`') || text.is_empty() {
        " "
    } else {
        ""
    };
    format!("{fence}{pad}{text}{pad}{fence}")
}

/// A fenced code block of `lang` holding `text` literally (multi-line): the
/// fence is longer than any backtick run inside.
pub fn md_block(lang: &str, text: &str, max: usize) -> String {
    let mut body = String::with_capacity(text.len().min(max * 4));
    for (n, c) in text.chars().enumerate() {
        if n == max {
            body.push('…');
            break;
        }
        body.push(if c.is_control() && c != '\n' && c != '\t' {
            ' '
        } else {
            c
        });
    }
    let longest = body.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest.max(2) + 1);
    format!("{fence}{lang}\n{body}\n{fence}")
}

/// Text for HTML element content or a quoted attribute.
pub fn html(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if c.is_control() && c != '\n' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_cannot_be_broken_out_of() {
        let hostile = "/x`</code><img src=x onerror=alert(1)>[a](http://evil)|*b*";
        let code = md_code(hostile);
        assert!(code.starts_with("``") && code.ends_with("``"), "{code}");
        assert!(code.contains("\\|*"), "{code}");
        let text = md_text(hostile);
        let chars: Vec<char> = text.chars().collect();
        for (i, c) in chars.iter().enumerate() {
            if "<>[]*`|".contains(*c) {
                assert!(i > 0 && chars[i - 1] == '\\', "unescaped {c} in {text}");
            }
        }
        assert!(text.contains("\\<img"), "{text}");
        let block = md_block("text", "a\n```\nb", 100);
        assert!(
            block.starts_with("````text\n") && block.ends_with("\n````"),
            "{block}"
        );
    }

    #[test]
    fn ordinary_text_stays_readable() {
        assert_eq!(
            md_text("Task timed out after 300 seconds."),
            "Task timed out after 300 seconds."
        );
        assert_eq!(md_code("/leads/[id]"), "`/leads/[id]`");
        assert_eq!(
            html("<a href=\"x\">&</a>"),
            "&lt;a href=&quot;x&quot;&gt;&amp;&lt;/a&gt;"
        );
    }
}
