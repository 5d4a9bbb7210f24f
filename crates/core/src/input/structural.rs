//! Structural classification of JSON bytes, 64 at a time.
//!
//! Finding where one JSON record ends is the hot loop of every scan: a
//! dashboard export is a single multi-gigabyte line, so records cannot be
//! split on newlines alone. This module classifies 64-byte blocks into bit
//! masks (quotes, backslashes, openers, closers, newlines), resolves escapes
//! and string interiors with plain integer arithmetic (the technique described
//! in Langdale & Lemire, "Parsing Gigabytes of JSON per Second", 2019), and
//! walks only the structural bits. On x86_64 the classification uses SSE2,
//! which every x86_64 CPU has; elsewhere a portable byte loop.

/// Bit masks of one 64-byte block; bit `i` is byte `i`.
#[derive(Debug, Default, Clone, Copy)]
struct BlockMasks {
    quote: u64,
    backslash: u64,
    open: u64,
    close: u64,
    newline: u64,
}

#[cfg(target_arch = "x86_64")]
#[inline(always)]
fn classify(block: &[u8; 64]) -> BlockMasks {
    use std::arch::x86_64::{
        __m128i, _mm_cmpeq_epi8, _mm_loadu_si128, _mm_movemask_epi8, _mm_or_si128, _mm_set1_epi8,
    };
    let mut m = BlockMasks::default();
    for lane in 0..4 {
        // SAFETY: `block` is 64 bytes long, so the 16 bytes at `lane * 16` are
        // in bounds; `_mm_loadu_si128` has no alignment requirement; SSE2 is
        // part of the x86_64 baseline, so every intrinsic here is available.
        unsafe {
            let v = _mm_loadu_si128(block.as_ptr().add(lane * 16) as *const __m128i);
            let quote = _mm_cmpeq_epi8(v, _mm_set1_epi8(b'"' as i8));
            let backslash = _mm_cmpeq_epi8(v, _mm_set1_epi8(b'\\' as i8));
            let open = _mm_or_si128(
                _mm_cmpeq_epi8(v, _mm_set1_epi8(b'{' as i8)),
                _mm_cmpeq_epi8(v, _mm_set1_epi8(b'[' as i8)),
            );
            let close = _mm_or_si128(
                _mm_cmpeq_epi8(v, _mm_set1_epi8(b'}' as i8)),
                _mm_cmpeq_epi8(v, _mm_set1_epi8(b']' as i8)),
            );
            let newline = _mm_cmpeq_epi8(v, _mm_set1_epi8(b'\n' as i8));
            let shift = lane * 16;
            m.quote |= (_mm_movemask_epi8(quote) as u32 as u64) << shift;
            m.backslash |= (_mm_movemask_epi8(backslash) as u32 as u64) << shift;
            m.open |= (_mm_movemask_epi8(open) as u32 as u64) << shift;
            m.close |= (_mm_movemask_epi8(close) as u32 as u64) << shift;
            m.newline |= (_mm_movemask_epi8(newline) as u32 as u64) << shift;
        }
    }
    m
}

#[cfg(not(target_arch = "x86_64"))]
#[inline(always)]
fn classify(block: &[u8; 64]) -> BlockMasks {
    let mut m = BlockMasks::default();
    for (i, &b) in block.iter().enumerate() {
        let bit = 1u64 << i;
        match b {
            b'"' => m.quote |= bit,
            b'\\' => m.backslash |= bit,
            b'{' | b'[' => m.open |= bit,
            b'}' | b']' => m.close |= bit,
            b'\n' => m.newline |= bit,
            _ => {}
        }
    }
    m
}

/// Bits of the bytes escaped by a backslash. `carry` says the first byte of
/// this block is escaped (the previous block ended in an odd backslash run)
/// and is updated for the next block.
#[inline(always)]
fn escaped_bits(backslash: u64, carry: &mut bool) -> u64 {
    if backslash == 0 && !*carry {
        return 0;
    }
    let mut escaped = u64::from(*carry);
    let mut pending = backslash & !escaped;
    *carry = false;
    while pending != 0 {
        let i = pending.trailing_zeros();
        pending &= pending - 1;
        if i == 63 {
            *carry = true;
        } else {
            let next = 1u64 << (i + 1);
            escaped |= next;
            pending &= !next;
        }
    }
    escaped
}

/// Inclusive prefix XOR: bit `i` is the parity of bits `0..=i`.
#[inline(always)]
fn prefix_xor(mut x: u64) -> u64 {
    x ^= x << 1;
    x ^= x << 2;
    x ^= x << 4;
    x ^= x << 8;
    x ^= x << 16;
    x ^= x << 32;
    x
}

/// Why a value did not end where it should.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unterminated {
    /// A raw newline came first (line-framed input): the value is cut at this offset.
    Newline(usize),
    /// The buffer ended first.
    End,
}

/// Given `start` just past a value's opening `{` or `[`, return the offset
/// just past its matching closer. With `stop_at_newline`, a raw newline
/// anywhere ends the search (a record of line-framed input never spans lines).
pub fn find_container_end(
    buf: &[u8],
    start: usize,
    stop_at_newline: bool,
) -> Result<usize, Unterminated> {
    let mut depth: u32 = 1;
    let mut in_string: u64 = 0;
    let mut carry = false;
    let mut pos = start;
    let newline_mask = if stop_at_newline { u64::MAX } else { 0 };
    while pos < buf.len() {
        let block: [u8; 64] = match buf.get(pos..pos + 64) {
            Some(s) => s.try_into().unwrap_or([b' '; 64]),
            None => {
                let mut padded = [b' '; 64];
                padded[..buf.len() - pos].copy_from_slice(&buf[pos..]);
                padded
            }
        };
        let m = classify(&block);
        let escaped = escaped_bits(m.backslash, &mut carry);
        let quotes = m.quote & !escaped;
        let strings = prefix_xor(quotes) ^ in_string;
        in_string = ((strings as i64) >> 63) as u64;
        let opens = m.open & !strings;
        let closes = m.close & !strings;
        let newlines = m.newline & newline_mask;
        if newlines == 0 && closes.count_ones() < depth {
            depth += opens.count_ones();
            depth -= closes.count_ones();
        } else {
            let mut bits = opens | closes | newlines;
            while bits != 0 {
                let i = bits.trailing_zeros();
                let bit = 1u64 << i;
                bits &= bits - 1;
                if newlines & bit != 0 {
                    return Err(Unterminated::Newline(pos + i as usize));
                }
                if opens & bit != 0 {
                    depth += 1;
                } else {
                    depth -= 1;
                    if depth == 0 {
                        return Ok(pos + i as usize + 1);
                    }
                }
            }
        }
        pos += 64;
    }
    Err(Unterminated::End)
}

/// Given `start` just past a string's opening quote, return the offset just
/// past its closing quote.
pub fn find_string_end(buf: &[u8], start: usize) -> Option<usize> {
    let mut pos = start;
    loop {
        let i = pos + memchr::memchr2(b'"', b'\\', buf.get(pos..)?)?;
        if buf[i] == b'"' {
            return Some(i + 1);
        }
        pos = i + 2;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn end(s: &str) -> Result<usize, Unterminated> {
        find_container_end(s.as_bytes(), 1, true)
    }

    #[test]
    fn finds_the_matching_brace_past_strings_and_escapes() {
        assert_eq!(end(r#"{"a":"}"}"#), Ok(9));
        assert_eq!(end(r#"{"a":"\"}"}"#), Ok(11));
        assert_eq!(end(r#"{"a":"\\"}x"#), Ok(10));
        assert_eq!(end(r#"{"a":{"b":[1,{"c":2}]}} tail"#), Ok(23));
    }

    #[test]
    fn long_values_cross_blocks() {
        let body = "x\\\"".repeat(100);
        let s = format!(r#"{{"m":"{body}","n":{{"o":[{{}}]}}}} after"#);
        assert_eq!(end(&s), Ok(s.len() - " after".len()));
        // a backslash run ending exactly at a block edge
        for pad in 0..70 {
            let s = format!(r#"{{"m":"{}\\\\","k":1}}"#, "a".repeat(pad));
            assert_eq!(end(&s), Ok(s.len()), "pad {pad}");
        }
    }

    #[test]
    fn unterminated_values_are_reported() {
        assert_eq!(end("{\"a\":\"b\n\"}"), Err(Unterminated::Newline(7)));
        assert_eq!(end(r#"{"a":"b"#), Err(Unterminated::End));
        assert_eq!(find_container_end(b"{\"a\":\n1}", 1, false), Ok(8));
    }

    #[test]
    fn string_end_skips_escapes() {
        assert_eq!(find_string_end(br#""a\"b" x"#, 1), Some(6));
        assert_eq!(find_string_end(br#""a\"#, 1), None);
    }
}
