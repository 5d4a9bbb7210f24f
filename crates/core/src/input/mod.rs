//! Input: bytes from files, stdin and gzip; format detection; framing of
//! records (JSON of every shape, CSV); plain text lines for `logs templates`.

mod error;
mod format;
mod json_frame;
mod preamble;
mod source;
mod structural;
mod text;

pub use error::{Damage, InputError};
pub use format::{Container, InputFormat, Undetected, detect};

/// The longest record any reader accepts, whatever the input path (mapped
/// file, gzip, pipe, stdin; JSON, CSV or text): 64 MiB. Real records are
/// 0.4–5 KB and one message can reach 256 KB; a longer record is damage
/// (exit 2), never silently dropped or cut, and memory stays bounded.
pub const MAX_RECORD_BYTES: usize = 64 << 20;
pub use json_frame::{
    FrameEnd, Framing, Item, MalformedKind, TopState, frame, guess_element_start,
};
pub use preamble::{ExportHeader, Preamble, read_preamble};
pub use source::{InputBytes, InputSpec, MappedBytes, OpenedInput, open};
pub use structural::{Unterminated, find_container_end, find_string_end};
pub use text::{TextStats, read_text_lines};
