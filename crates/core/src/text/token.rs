//! [`Token`]: one token of a tokenised message, constant or variable.

/// One token of a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token<'a> {
    /// The constant text, or `None` for a variable (`<*>`).
    pub text: Option<&'a str>,
    /// True when no whitespace separates this token from the previous one
    /// (used only to render templates readably).
    pub joined: bool,
}
