//! Colour and width for people: colour on for terminals, off for pipes,
//! `NO_COLOR` and `--color never`; tables fitted to the terminal's width,
//! never wrapped for pipes.

use comfy_table::Color;

use logs_core::signatures::Severity;

/// Whether output is coloured.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Style {
    pub color: bool,
    /// The terminal's width in columns when stdout is one; `None` for pipes
    /// and files (tables are then never wrapped or cut to fit).
    pub width: Option<usize>,
}

impl Style {
    pub const PLAIN: Style = Style {
        color: false,
        width: None,
    };

    /// Table cell colour of a severity.
    pub fn severity_color(self, s: Severity) -> Option<Color> {
        if !self.color {
            return None;
        }
        Some(match s {
            Severity::Critical => Color::Red,
            Severity::High => Color::Magenta,
            Severity::Medium => Color::Yellow,
            Severity::Low => Color::Cyan,
            Severity::Info => Color::DarkGrey,
        })
    }

    /// Wraps text in an ANSI SGR sequence when colour is on.
    pub fn paint(self, text: &str, sgr: &str) -> String {
        if self.color {
            format!("\x1b[{sgr}m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    }

    pub fn bold(self, text: &str) -> String {
        self.paint(text, "1")
    }

    pub fn red(self, text: &str) -> String {
        self.paint(text, "1;31")
    }

    pub fn green(self, text: &str) -> String {
        self.paint(text, "1;32")
    }

    pub fn yellow(self, text: &str) -> String {
        self.paint(text, "1;33")
    }

    pub fn dim(self, text: &str) -> String {
        self.paint(text, "2")
    }
}
