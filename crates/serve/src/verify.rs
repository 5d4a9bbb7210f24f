//! The drain signature: `x-vercel-signature` is the lowercase hex
//! HMAC-SHA1 of the raw body (the bytes on the wire, before any gzip
//! decoding), keyed with the drain's secret. Compared in constant time by
//! the `hmac` crate's `verify_slice`.

use hmac::{Hmac, Mac};
use sha1::Sha1;

/// Whether `signature` (hex, as sent) is the HMAC-SHA1 of `body` under
/// `secret`. Anything that is not 40 lowercase hex digits fails.
pub fn signature_ok(secret: &[u8], body: &[u8], signature: &str) -> bool {
    if signature.len() != 40
        || !signature
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
    {
        return false;
    }
    let Ok(expected) = hex::decode(signature) else {
        return false;
    };
    let Ok(mut mac) = Hmac::<Sha1>::new_from_slice(secret) else {
        return false;
    };
    mac.update(body);
    mac.verify_slice(&expected).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 2202 test case 2: key "Jefe".
    #[test]
    fn rfc2202_vector() {
        let sig = "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79";
        assert!(signature_ok(b"Jefe", b"what do ya want for nothing?", sig));
        assert!(!signature_ok(b"Jeff", b"what do ya want for nothing?", sig));
        assert!(!signature_ok(b"Jefe", b"what do ya want for nothing!", sig));
        assert!(!signature_ok(
            b"Jefe",
            b"what do ya want for nothing?",
            &sig.to_uppercase()
        ));
        assert!(!signature_ok(b"Jefe", b"what do ya want for nothing?", ""));
    }
}
