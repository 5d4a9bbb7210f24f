//! Tables for people that fit the screen without breaking an id or a date.
//!
//! Every cell is made safe for a terminal first (control characters and
//! escape sequences from log text never reach it raw) and bounded, so
//! layout cost stays linear whatever a log line holds. When stdout is a
//! terminal, the table is fitted to its width: the least important columns
//! are dropped, then free-text columns are shortened with `…`; ids, dates
//! and numbers are never cut. When stdout is not a terminal nothing is
//! wrapped or cut beyond the bound.

use comfy_table::{Cell, CellAlignment, Color, ContentArrangement, Table, presets};
use unicode_width::UnicodeWidthStr;

use super::style::Style;

/// The longest cell text laid out, in characters.
pub const MAX_CELL: usize = 400;

/// How a column may give way on a narrow screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fit {
    /// Never shortened (ids, dates, numbers, verdicts).
    Whole,
    /// Free text: shortened with `…`, down to `min` columns.
    Shorten { min: usize },
}

/// One column: its header, how it fits, and how important it is (columns
/// with the lowest `keep` are dropped first; 0 is never dropped).
#[derive(Debug, Clone, Copy)]
pub struct Column {
    pub header: &'static str,
    pub fit: Fit,
    pub keep: u8,
    pub right: bool,
}

impl Column {
    pub const fn whole(header: &'static str, keep: u8) -> Self {
        Column {
            header,
            fit: Fit::Whole,
            keep,
            right: false,
        }
    }

    pub const fn number(header: &'static str, keep: u8) -> Self {
        Column {
            header,
            fit: Fit::Whole,
            keep,
            right: true,
        }
    }

    pub const fn text(header: &'static str, min: usize, keep: u8) -> Self {
        Column {
            header,
            fit: Fit::Shorten { min },
            keep,
            right: false,
        }
    }
}

/// A cell: its text and an optional colour.
#[derive(Debug, Clone)]
pub struct GridCell {
    text: String,
    color: Option<Color>,
}

impl<S: Into<String>> From<S> for GridCell {
    fn from(s: S) -> Self {
        GridCell {
            text: s.into(),
            color: None,
        }
    }
}

impl GridCell {
    pub fn colored(text: impl Into<String>, color: Option<Color>) -> Self {
        GridCell {
            text: text.into(),
            color,
        }
    }
}

/// Replaces what a terminal would interpret (control characters, escape
/// sequences, bidi overrides) with visible stand-ins, keeps one line, and
/// bounds the length.
pub fn terminal_safe(s: &str, max: usize) -> String {
    let mut out = String::with_capacity(s.len().min(max * 4));
    for (n, c) in s.chars().enumerate() {
        if n == max {
            out.push('…');
            break;
        }
        match c {
            '\n' | '\r' | '\t' => out.push(' '),
            c if c.is_control() => out.push('�'),
            '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{200e}' | '\u{200f}' => {
                out.push('�')
            }
            c => out.push(c),
        }
    }
    out
}

fn width_of(s: &str) -> usize {
    UnicodeWidthStr::width(s)
}

/// Cuts `s` to at most `w` display columns, ending in `…` when cut.
fn shorten(s: &str, w: usize) -> String {
    if width_of(s) <= w {
        return s.to_string();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in s.chars() {
        let cw = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
        if used + cw + 1 > w {
            break;
        }
        used += cw;
        out.push(c);
    }
    out.push('…');
    out
}

/// A table under construction.
#[derive(Debug, Clone)]
pub struct Grid {
    columns: Vec<Column>,
    headers: Vec<String>,
    rows: Vec<Vec<GridCell>>,
}

impl Grid {
    pub fn new(columns: &[Column]) -> Self {
        Grid {
            columns: columns.to_vec(),
            headers: columns.iter().map(|c| c.header.to_string()).collect(),
            rows: Vec::new(),
        }
    }

    /// A grid whose headers are only known at run time (one column per
    /// period); each column's own header is not used.
    pub fn headed(columns: impl IntoIterator<Item = (String, Column)>) -> Self {
        let (headers, columns): (Vec<String>, Vec<Column>) = columns.into_iter().unzip();
        Grid {
            columns,
            headers: headers.iter().map(|h| terminal_safe(h, MAX_CELL)).collect(),
            rows: Vec::new(),
        }
    }

    /// Adds a row (missing cells are empty; extra cells are ignored).
    pub fn row<C: Into<GridCell>>(&mut self, cells: impl IntoIterator<Item = C>) {
        let mut row: Vec<GridCell> = cells
            .into_iter()
            .take(self.columns.len())
            .map(|c| {
                let c: GridCell = c.into();
                GridCell {
                    text: terminal_safe(&c.text, MAX_CELL),
                    color: c.color,
                }
            })
            .collect();
        row.resize_with(self.columns.len(), || GridCell::from(""));
        self.rows.push(row);
    }

    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// Which columns to show, and the width each gets, to fit `max`.
    fn layout(&self, max: Option<usize>) -> (Vec<usize>, Vec<usize>) {
        let natural: Vec<usize> = (0..self.columns.len())
            .map(|i| {
                self.rows
                    .iter()
                    .map(|r| width_of(&r[i].text))
                    .chain([width_of(&self.headers[i])])
                    .max()
                    .unwrap_or(0)
            })
            .collect();
        let mut shown: Vec<usize> = (0..self.columns.len()).collect();
        let Some(max) = max else {
            return (shown, natural);
        };
        let floor = |i: usize| match self.columns[i].fit {
            Fit::Whole => natural[i],
            Fit::Shorten { min } => natural[i].min(min.max(width_of(&self.headers[i]))),
        };
        let total = |shown: &[usize], w: &dyn Fn(usize) -> usize| {
            shown.iter().map(|&i| w(i) + 3).sum::<usize>() + 1
        };
        // Drop the least important columns until the floors fit.
        while total(&shown, &floor) > max {
            let drop = shown
                .iter()
                .copied()
                .filter(|&i| self.columns[i].keep > 0)
                .min_by_key(|&i| (self.columns[i].keep, std::cmp::Reverse(i)));
            match drop {
                Some(d) => shown.retain(|&i| i != d),
                None => break,
            }
        }
        // Then shorten free text, widest first, down to its floor.
        let mut widths = natural.clone();
        while total(&shown, &|i| widths[i]) > max {
            let widest = shown
                .iter()
                .copied()
                .filter(|&i| widths[i] > floor(i))
                .max_by_key(|&i| (widths[i] - floor(i), std::cmp::Reverse(i)));
            match widest {
                Some(i) => widths[i] -= 1,
                None => break,
            }
        }
        (shown, widths)
    }

    /// Lays the table out for `style` (fitted to its width when it has one).
    pub fn render(&self, style: Style) -> String {
        let (shown, widths) = self.layout(style.width);
        let mut t = Table::new();
        t.load_preset(presets::UTF8_FULL_CONDENSED)
            .set_content_arrangement(ContentArrangement::Disabled);
        if style.color {
            t.enforce_styling();
        } else {
            t.force_no_tty();
        }
        t.set_header(shown.iter().map(|&i| self.headers[i].as_str()));
        for row in &self.rows {
            t.add_row(shown.iter().map(|&i| {
                let col = &self.columns[i];
                let mut cell = Cell::new(shorten(&row[i].text, widths[i]));
                if col.right {
                    cell = cell.set_alignment(CellAlignment::Right);
                }
                if let Some(c) = row[i].color.filter(|_| style.color) {
                    cell = cell.fg(c);
                }
                cell
            }));
        }
        let hidden = self.columns.len() - shown.len();
        let mut out = t.to_string();
        if hidden > 0 {
            out.push_str(&format!(
                "\n({hidden} column(s) hidden to fit the terminal; widen it or use --format json)"
            ));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn grid() -> Grid {
        let mut g = Grid::new(&[
            Column::whole("Deployment", 0),
            Column::whole("First seen", 2),
            Column::number("Count", 3),
            Column::text("Message", 10, 1),
        ]);
        g.row([
            "dpl_3kZp9QwErTy6UiOp2AsDf5GhJk8L",
            "2026-01-19 08:24:20",
            "12",
            "PrismaClientKnownRequestError: Unique constraint failed on the fields: (`dedupeKey`)",
        ]);
        g
    }

    fn style(width: Option<usize>) -> Style {
        Style {
            color: false,
            width,
        }
    }

    #[test]
    fn ids_and_dates_are_never_cut() {
        for w in [40, 60, 80, 120] {
            let out = grid().render(style(Some(w)));
            assert!(
                out.contains("dpl_3kZp9QwErTy6UiOp2AsDf5GhJk8L"),
                "{w}: {out}"
            );
            if out.contains("First seen") {
                assert!(out.contains("2026-01-19 08:24:20"), "{w}: {out}");
            }
            let widest = out.lines().map(|l| l.chars().count()).max().unwrap();
            assert!(
                widest <= w.max(38) || out.contains("hidden"),
                "{w}: {widest}\n{out}"
            );
        }
        let narrow = grid().render(style(Some(80)));
        assert!(narrow.contains('…') && narrow.contains("Count"), "{narrow}");
    }

    #[test]
    fn no_terminal_means_no_wrapping() {
        let out = grid().render(style(None));
        assert!(out.contains("(`dedupeKey`)"));
        assert_eq!(out.lines().count(), 5);
    }

    #[test]
    fn escapes_never_reach_the_terminal() {
        let s = terminal_safe("a\x1b[2Jb\u{202e}c\nd", 100);
        assert_eq!(s, "a�[2Jb�c d");
        assert_eq!(terminal_safe(&"x".repeat(10), 4), "xxxx…");
    }
}
