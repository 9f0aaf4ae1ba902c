//! The Authorization Code with PKCE flow as data: the authorize URL, the token requests,
//! the callback the provider sends back, token answers and their errors, and the login
//! failures a person can meet, each with a message and a way forward.

use std::fmt;

use serde::Deserialize;

use super::pkce::{same_secret, CodeVerifier};
use crate::query_string::{encode_component, form_encode, query_pairs, without_parameters};

/// Scopes asked for: none beyond the defaults are needed to read tracks and the profile.
pub const SCOPES: &str = "";

/// Where to log in and where to come back to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthConfig {
    /// e.g. `https://accounts.spotify.com`, without a trailing slash.
    pub accounts_base: String,
    pub client_id: String,
    /// This page's own address (origin and path), registered in the Spotify dashboard.
    pub redirect_uri: String,
}

impl AuthConfig {
    /// The consent page to send the browser to.
    pub fn authorize_url(&self, verifier: &CodeVerifier, state: &str) -> String {
        let mut url = format!(
            "{}/authorize?response_type=code&client_id={}&redirect_uri={}&code_challenge_method=S256&code_challenge={}&state={}",
            self.accounts_base,
            encode_component(&self.client_id),
            encode_component(&self.redirect_uri),
            verifier.challenge(),
            encode_component(state),
        );
        if !SCOPES.is_empty() {
            url.push_str(&format!("&scope={}", encode_component(SCOPES)));
        }
        url
    }

    pub fn token_url(&self) -> String {
        format!("{}/api/token", self.accounts_base)
    }

    /// Form body exchanging an authorization code (with the verifier) for tokens.
    pub fn code_exchange_body(&self, code: &str, verifier: &CodeVerifier) -> String {
        form_encode(&[
            ("grant_type", "authorization_code"),
            ("code", code),
            ("redirect_uri", &self.redirect_uri),
            ("client_id", &self.client_id),
            ("code_verifier", verifier.secret()),
        ])
    }

    /// Form body trading a (single-use) refresh token for new tokens.
    pub fn refresh_body(&self, refresh_token: &str) -> String {
        form_encode(&[
            ("grant_type", "refresh_token"),
            ("refresh_token", refresh_token),
            ("client_id", &self.client_id),
        ])
    }
}

/// A successful answer of the token endpoint.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct TokenResponse {
    pub access_token: String,
    #[serde(default)]
    pub token_type: String,
    /// Seconds the access token lives.
    #[serde(default)]
    pub expires_in: u64,
    /// A new refresh token; Spotify's are single-use, so each answer's replaces the last.
    #[serde(default)]
    pub refresh_token: Option<String>,
}

/// An error answer of the token endpoint (`{"error": "invalid_grant", …}`).
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct TokenErrorBody {
    pub error: String,
    #[serde(default)]
    pub error_description: Option<String>,
}

/// What came back on the redirect URI.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Callback {
    Code {
        code: String,
        state: String,
    },
    Error {
        error: String,
        state: Option<String>,
    },
}

/// Parameters that belong to the login callback and are removed from the URL after use.
pub const CALLBACK_PARAMETERS: [&str; 4] = ["code", "state", "error", "error_description"];

/// Reads a login callback from the page's query string, if it holds one.
pub fn parse_callback(search: &str) -> Option<Callback> {
    let pairs = query_pairs(search);
    let get = |key: &str| pairs.iter().find(|(k, _)| k == key).map(|(_, v)| v.clone());
    match (get("code"), get("error"), get("state")) {
        (_, Some(error), state) => Some(Callback::Error { error, state }),
        (Some(code), None, Some(state)) => Some(Callback::Code { code, state }),
        (Some(_), None, None) => Some(Callback::Error {
            error: "missing_state".to_owned(),
            state: None,
        }),
        _ => None,
    }
}

/// The query string without the callback's parameters (the view state stays).
pub fn without_callback(search: &str) -> String {
    without_parameters(search, &CALLBACK_PARAMETERS)
}

/// Why logging in did not work.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LoginError {
    /// The person pressed Cancel on Spotify's consent page.
    Denied,
    /// The provider reported another error.
    Provider { error: String },
    /// The returned `state` is not the one sent: a forged or stale callback.
    StateMismatch,
    /// A callback arrived but this tab started no login (or it was already used).
    NoLoginInProgress,
    /// The token endpoint refused the code (expired, reused, wrong verifier…).
    ExchangeRefused { status: u16, error: String },
    /// The refresh token was refused: the session is over.
    SessionExpired,
    /// No client ID is configured.
    NoClientId,
    /// The network failed during login.
    Network { detail: String },
}

impl fmt::Display for LoginError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LoginError::Denied => write!(f, "You declined the Spotify login, so nothing was shared. Everything on this page still works without it; log in whenever you want to look up tracks that are not in the catalog."),
            LoginError::Provider { error } => write!(f, "Spotify did not complete the login ({error}). Try logging in again."),
            LoginError::StateMismatch => write!(f, "That login reply did not match the login this page started, so it was ignored for your safety. Log in again from this page."),
            LoginError::NoLoginInProgress => write!(f, "A login reply arrived, but this tab did not start a login (or already used it). Log in again from this page."),
            LoginError::ExchangeRefused { status, error } => write!(f, "Spotify refused to finish the login (HTTP {status}, {error}). The login link may have expired or been used already; log in again."),
            LoginError::SessionExpired => write!(f, "Your Spotify session has ended. Log in again to look up more tracks."),
            LoginError::NoClientId => write!(f, "No Spotify client ID is set. Enter the client ID of your Spotify app under “Spotify settings” first."),
            LoginError::Network { detail } => write!(f, "Could not reach Spotify to log in ({detail}). Check the connection and try again."),
        }
    }
}

impl std::error::Error for LoginError {}

/// Checks a callback against the `state` this tab saved before leaving for Spotify.
/// On success returns the authorization code to exchange.
pub fn verify_callback(
    callback: &Callback,
    saved_state: Option<&str>,
) -> Result<String, LoginError> {
    match callback {
        Callback::Error { error, .. } if error == "access_denied" => Err(LoginError::Denied),
        Callback::Error { error, .. } => Err(LoginError::Provider {
            error: error.clone(),
        }),
        Callback::Code { code, state } => match saved_state {
            None => Err(LoginError::NoLoginInProgress),
            Some(saved) if same_secret(saved, state) => Ok(code.clone()),
            Some(_) => Err(LoginError::StateMismatch),
        },
    }
}

/// Turns a refused token request into the login error it means.
pub fn token_failure(status: u16, body: &str, refreshing: bool) -> LoginError {
    let error = serde_json::from_str::<TokenErrorBody>(body)
        .map(|b| b.error)
        .unwrap_or_else(|_| "unreadable answer".to_owned());
    if refreshing && (error == "invalid_grant" || status == 400 || status == 401) {
        LoginError::SessionExpired
    } else {
        LoginError::ExchangeRefused { status, error }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config() -> AuthConfig {
        AuthConfig {
            accounts_base: "https://accounts.example".into(),
            client_id: "abc123".into(),
            redirect_uri: "http://127.0.0.1:8080/".into(),
        }
    }

    fn verifier() -> CodeVerifier {
        CodeVerifier::parse("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk").unwrap()
    }

    #[test]
    fn authorize_url_carries_challenge_and_state() {
        assert_eq!(
            config().authorize_url(&verifier(), "st4te"),
            "https://accounts.example/authorize?response_type=code&client_id=abc123&redirect_uri=http%3A%2F%2F127.0.0.1%3A8080%2F&code_challenge_method=S256&code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM&state=st4te"
        );
    }

    #[test]
    fn token_bodies() {
        assert_eq!(
            config().code_exchange_body("c0de", &verifier()),
            "grant_type=authorization_code&code=c0de&redirect_uri=http%3A%2F%2F127.0.0.1%3A8080%2F&client_id=abc123&code_verifier=dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
        );
        assert_eq!(
            config().refresh_body("r1"),
            "grant_type=refresh_token&refresh_token=r1&client_id=abc123"
        );
        assert_eq!(config().token_url(), "https://accounts.example/api/token");
    }

    #[test]
    fn parses_token_answers() {
        let ok: TokenResponse = serde_json::from_str(
            r#"{"access_token":"A","token_type":"Bearer","expires_in":3600,"refresh_token":"R","scope":""}"#,
        )
        .unwrap();
        assert_eq!(ok.refresh_token.as_deref(), Some("R"));
        let no_refresh: TokenResponse =
            serde_json::from_str(r#"{"access_token":"A","expires_in":3600}"#).unwrap();
        assert_eq!(no_refresh.refresh_token, None);
        assert_eq!(
            token_failure(
                400,
                r#"{"error":"invalid_grant","error_description":"Refresh token revoked"}"#,
                true
            ),
            LoginError::SessionExpired
        );
        assert_eq!(
            token_failure(400, r#"{"error":"invalid_grant"}"#, false),
            LoginError::ExchangeRefused {
                status: 400,
                error: "invalid_grant".into()
            }
        );
        assert_eq!(
            token_failure(500, "<html>", false),
            LoginError::ExchangeRefused {
                status: 500,
                error: "unreadable answer".into()
            }
        );
    }

    #[test]
    fn callbacks_and_state_checks() {
        let cb = parse_callback("?v=0.2&code=xyz&state=s1").unwrap();
        assert_eq!(
            cb,
            Callback::Code {
                code: "xyz".into(),
                state: "s1".into()
            }
        );
        assert_eq!(verify_callback(&cb, Some("s1")), Ok("xyz".into()));
        assert_eq!(
            verify_callback(&cb, Some("s2")),
            Err(LoginError::StateMismatch)
        );
        assert_eq!(
            verify_callback(&cb, None),
            Err(LoginError::NoLoginInProgress)
        );
        let denied = parse_callback("error=access_denied&state=s1").unwrap();
        assert_eq!(
            verify_callback(&denied, Some("s1")),
            Err(LoginError::Denied)
        );
        assert_eq!(parse_callback("v=0.2&e=0.3"), None);
        assert!(matches!(
            parse_callback("code=x"),
            Some(Callback::Error { .. })
        ));
        assert_eq!(
            without_callback("?v=0.2&code=xyz&state=s1&n=5"),
            "v=0.2&n=5"
        );
    }
}
