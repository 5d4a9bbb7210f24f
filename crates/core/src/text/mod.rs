//! Text normalisation shared by every analysis: the line that names an
//! error ([`message_head`]), the tokeniser that masks values as `<*>`, and
//! the normalised forms built on them ([`normalise`], fingerprints, saved
//! token lists).
//!
//! It sits below the signatures (fingerprints) and the template miner, and
//! depends on neither: values → classify → token → collapse → tokenize →
//! head → normalise.

mod classify;
mod collapse;
mod head;
mod normalise;
mod token;
mod tokenize;
mod values;

pub(crate) use classify::*;
pub use head::message_head;
pub use normalise::{decode_tokens, encode_tokens, fingerprint_line, normalise, render_into};
pub use token::Token;
pub use tokenize::tokenize;
