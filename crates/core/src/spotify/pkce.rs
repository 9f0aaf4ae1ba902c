//! PKCE (RFC 7636): the code verifier and its S256 challenge, and the `state` value.
//! Randomness comes from the caller (the browser's `crypto.getRandomValues`).

use std::fmt;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use sha2::{Digest, Sha256};

/// Bytes of randomness in a verifier: 64 bytes → 86 base64url characters.
pub const VERIFIER_BYTES: usize = 64;
/// Bytes of randomness in a `state`.
pub const STATE_BYTES: usize = 24;

/// The secret half of PKCE. Deliberately neither `Clone` nor printable.
pub struct CodeVerifier(String);

/// Why a stored verifier is unusable.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadVerifier;

impl fmt::Display for BadVerifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("the saved login verifier is malformed")
    }
}

impl fmt::Debug for CodeVerifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("CodeVerifier([redacted])")
    }
}

fn is_unreserved(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '_' | '~')
}

impl CodeVerifier {
    /// A verifier from fresh random bytes.
    pub fn from_random(bytes: &[u8; VERIFIER_BYTES]) -> CodeVerifier {
        CodeVerifier(URL_SAFE_NO_PAD.encode(bytes))
    }

    /// A verifier read back from storage: 43..=128 unreserved characters.
    pub fn parse(text: &str) -> Result<CodeVerifier, BadVerifier> {
        if (43..=128).contains(&text.len()) && text.chars().all(is_unreserved) {
            Ok(CodeVerifier(text.to_owned()))
        } else {
            Err(BadVerifier)
        }
    }

    pub fn secret(&self) -> &str {
        &self.0
    }

    /// `BASE64URL(SHA256(verifier))`, the `S256` challenge.
    pub fn challenge(&self) -> String {
        URL_SAFE_NO_PAD.encode(Sha256::digest(self.0.as_bytes()))
    }
}

/// A random `state` for one login, compared with the one the provider sends back.
pub fn new_state(bytes: &[u8; STATE_BYTES]) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

/// Compares two strings in time independent of where they differ.
pub fn same_secret(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc_7636_appendix_b() {
        let verifier = CodeVerifier::parse("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk").unwrap();
        assert_eq!(
            verifier.challenge(),
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
        );
    }

    #[test]
    fn random_verifier_is_86_unreserved_characters() {
        let v = CodeVerifier::from_random(&[0xAB; VERIFIER_BYTES]);
        assert_eq!(v.secret().len(), 86);
        assert!(CodeVerifier::parse(v.secret()).is_ok());
        assert_eq!(format!("{v:?}"), "CodeVerifier([redacted])");
    }

    #[test]
    fn rejects_short_or_odd_verifiers() {
        assert_eq!(CodeVerifier::parse("short").unwrap_err(), BadVerifier);
        assert!(CodeVerifier::parse(&"a".repeat(129)).is_err());
        assert!(CodeVerifier::parse(&format!("{}!", "a".repeat(50))).is_err());
    }

    #[test]
    fn state_and_comparison() {
        let s = new_state(&[7; STATE_BYTES]);
        assert_eq!(s.len(), 32);
        assert!(same_secret(&s, &s.clone()));
        assert!(!same_secret(&s, &new_state(&[8; STATE_BYTES])));
        assert!(!same_secret("abc", "abcd"));
    }
}
