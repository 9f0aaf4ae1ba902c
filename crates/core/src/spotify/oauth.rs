//! The Authorization Code with PKCE flow as data: the authorize URL, the token requests,
//! the callback the provider sends back, token answers and their errors, and the login
//! failures a person can meet, each with a message and a way forward.

use std::fmt;

use serde::Deserialize;

use super::pkce::{same_secret, CodeVerifier};
use crate::query_string::{encode_component, form_encode, query_pairs, without_parameters};

/// Scopes asked for by a plain login: none beyond the defaults are needed to read tracks
/// and the profile. Saving a playlist asks for its scope then, and only then.
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
        self.authorize_url_with_scope(verifier, state, SCOPES)
    }

    /// The consent page asking for `scope` (space-separated; empty for none).
    pub fn authorize_url_with_scope(
        &self,
        verifier: &CodeVerifier,
        state: &str,
        scope: &str,
    ) -> String {
        let mut url = format!(
            "{}/authorize?response_type=code&client_id={}&redirect_uri={}&code_challenge_method=S256&code_challenge={}&state={}",
            self.accounts_base,
            encode_component(&self.client_id),
            encode_component(&self.redirect_uri),
            verifier.challenge(),
            encode_component(state),
        );
        if !scope.is_empty() {
            url.push_str(&format!("&scope={}", encode_component(scope)));
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

/// A successful answer of the token endpoint. Its `Debug` hides both tokens.
#[derive(Clone, PartialEq, Deserialize)]
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
    /// The scopes granted, space-separated (absent on some refreshes: the old ones stand).
    #[serde(default)]
    pub scope: Option<String>,
}

impl fmt::Debug for TokenResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TokenResponse")
            .field("access_token", &"[redacted]")
            .field("token_type", &self.token_type)
            .field("expires_in", &self.expires_in)
            .field(
                "refresh_token",
                &self.refresh_token.as_ref().map(|_| "[redacted]"),
            )
            .field("scope", &self.scope)
            .finish()
    }
}

/// Refresh this long before the access token's stated expiry, so a request never goes
/// out with a token about to lapse.
pub const REFRESH_MARGIN_MS: f64 = 60_000.0;

/// Whether a token that expires at `expires_at_ms` (or at an unknown time) should be
/// refreshed before use at `now_ms`.
pub fn needs_refresh(expires_at_ms: Option<f64>, now_ms: f64) -> bool {
    match expires_at_ms {
        Some(at) if at.is_finite() => now_ms + REFRESH_MARGIN_MS >= at,
        _ => false,
    }
}

/// A Spotify client ID: 32 lowercase hexadecimal characters, as the dashboard shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientId(String);

/// Why text is not a Spotify client ID.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ClientIdError {
    Empty,
    WrongLength { found: usize },
    NotHex { found: char },
}

impl fmt::Display for ClientIdError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        const WANTED: &str = "A Spotify client ID is 32 characters, digits 0–9 and letters a–f, as shown on your app's page in the Spotify developer dashboard";
        match self {
            ClientIdError::Empty => write!(f, "{WANTED}."),
            ClientIdError::WrongLength { found } => write!(f, "{WANTED}; this one has {found}."),
            ClientIdError::NotHex { found } => write!(f, "{WANTED}; “{found}” is not one of them."),
        }
    }
}

impl std::error::Error for ClientIdError {}

impl ClientId {
    /// Checks an entered client ID (surrounding spaces are ignored).
    pub fn parse(text: &str) -> Result<ClientId, ClientIdError> {
        let text = text.trim();
        if text.is_empty() {
            return Err(ClientIdError::Empty);
        }
        if let Some(bad) = text.chars().find(|c| !matches!(c, '0'..='9' | 'a'..='f')) {
            return Err(ClientIdError::NotHex { found: bad });
        }
        if text.len() != 32 {
            return Err(ClientIdError::WrongLength { found: text.len() });
        }
        Ok(ClientId(text.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The error codes of an authorization error response (RFC 6749 §4.1.2.1). Anything
/// else is `Other`: a callback's raw text is never shown, since anyone can craft one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProviderError {
    InvalidRequest,
    UnauthorizedClient,
    AccessDenied,
    UnsupportedResponseType,
    InvalidScope,
    ServerError,
    TemporarilyUnavailable,
    Other,
}

impl ProviderError {
    pub fn from_code(code: &str) -> ProviderError {
        match code {
            "invalid_request" => ProviderError::InvalidRequest,
            "unauthorized_client" => ProviderError::UnauthorizedClient,
            "access_denied" => ProviderError::AccessDenied,
            "unsupported_response_type" => ProviderError::UnsupportedResponseType,
            "invalid_scope" => ProviderError::InvalidScope,
            "server_error" => ProviderError::ServerError,
            "temporarily_unavailable" => ProviderError::TemporarilyUnavailable,
            _ => ProviderError::Other,
        }
    }

    /// What the person is told, in fixed words.
    pub fn explanation(self) -> &'static str {
        match self {
            ProviderError::InvalidRequest => "the login request was malformed",
            ProviderError::UnauthorizedClient => {
                "this app may not log in this way; check its settings in the Spotify dashboard"
            }
            ProviderError::AccessDenied => "access was denied",
            ProviderError::UnsupportedResponseType => "Spotify does not support this kind of login",
            ProviderError::InvalidScope => "the permissions asked for were not accepted",
            ProviderError::ServerError => "Spotify had a problem on its side",
            ProviderError::TemporarilyUnavailable => "Spotify's login is busy or down for a moment",
            ProviderError::Other => "Spotify reported an error",
        }
    }
}

/// An error answer of the token endpoint (`{"error": "invalid_grant", …}`).
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct TokenErrorBody {
    pub error: String,
    #[serde(default)]
    pub error_description: Option<String>,
}

/// What came back on the redirect URI. `state` is `None` when the reply carries none.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Callback {
    Code {
        code: String,
        state: Option<String>,
    },
    Error {
        error: ProviderError,
        state: Option<String>,
    },
}

impl Callback {
    fn state(&self) -> Option<&str> {
        match self {
            Callback::Code { state, .. } | Callback::Error { state, .. } => state.as_deref(),
        }
    }
}

/// Parameters that belong to the login callback and are removed from the URL after use.
pub const CALLBACK_PARAMETERS: [&str; 4] = ["code", "state", "error", "error_description"];

/// Reads a login callback from the page's query string, if it holds one.
pub fn parse_callback(search: &str) -> Option<Callback> {
    let pairs = query_pairs(search);
    let get = |key: &str| pairs.iter().find(|(k, _)| k == key).map(|(_, v)| v.clone());
    let state = get("state");
    match (get("code"), get("error")) {
        (_, Some(error)) => Some(Callback::Error {
            error: ProviderError::from_code(&error),
            state,
        }),
        (Some(code), None) => Some(Callback::Code { code, state }),
        (None, None) => None,
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
    /// The provider reported another error (one of RFC 6749's codes, never raw text).
    Provider { error: ProviderError },
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
    /// The configured client ID is malformed.
    BadClientId { problem: ClientIdError },
    /// The network failed during login.
    Network { detail: String },
}

impl fmt::Display for LoginError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LoginError::Denied => write!(f, "You declined the Spotify login, so nothing was shared. Everything on this page still works without it; log in whenever you want to look up tracks that are not in the catalog."),
            LoginError::Provider { error } => write!(f, "Spotify did not complete the login: {}. Try logging in again.", error.explanation()),
            LoginError::StateMismatch => write!(f, "That login reply did not match the login this page started, so it was ignored for your safety. Log in again from this page if you want to."),
            LoginError::NoLoginInProgress => write!(f, "A login reply arrived, but this tab did not start a login (or already used it). Log in again from this page."),
            LoginError::ExchangeRefused { status, error } => write!(f, "Spotify refused to finish the login (HTTP {status}, {error}). The login link may have expired or been used already; log in again."),
            LoginError::SessionExpired => write!(f, "Your Spotify session has ended. Log in again to look up more tracks."),
            LoginError::BadClientId { problem } => write!(f, "The Spotify client ID under “Spotify settings” cannot be used. {problem}"),
            LoginError::NoClientId => write!(f, "No Spotify client ID is set. Enter the client ID of your Spotify app under “Spotify settings” first."),
            LoginError::Network { detail } => write!(f, "Could not reach Spotify to log in ({detail}). Check the connection and try again."),
        }
    }
}

impl std::error::Error for LoginError {}

/// What to do with a login reply.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CallbackVerdict {
    /// It answers the login this tab started: exchange this code.
    Exchange { code: String },
    /// A stale reply (Back to the consent page, a reload) while this tab is logged in and
    /// started no login: drop it quietly, the session stays.
    IgnoreStale,
    /// Refuse it and say why; any session this tab holds stays.
    Refuse(LoginError),
}

/// Judges a login reply against the `state` this tab saved before leaving for Spotify
/// (`None` when it started no login) and whether it already holds tokens. Error replies
/// are checked like codes: only the login this tab started may report a failure.
pub fn judge_callback(
    callback: &Callback,
    saved_state: Option<&str>,
    has_session: bool,
) -> CallbackVerdict {
    let Some(saved) = saved_state else {
        return if has_session {
            CallbackVerdict::IgnoreStale
        } else {
            CallbackVerdict::Refuse(LoginError::NoLoginInProgress)
        };
    };
    if !callback
        .state()
        .is_some_and(|state| same_secret(saved, state))
    {
        return CallbackVerdict::Refuse(LoginError::StateMismatch);
    }
    match callback {
        Callback::Code { code, .. } => CallbackVerdict::Exchange { code: code.clone() },
        Callback::Error {
            error: ProviderError::AccessDenied,
            ..
        } => CallbackVerdict::Refuse(LoginError::Denied),
        Callback::Error { error, .. } => {
            CallbackVerdict::Refuse(LoginError::Provider { error: *error })
        }
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
                state: Some("s1".into())
            }
        );
        let exchange = CallbackVerdict::Exchange { code: "xyz".into() };
        assert_eq!(judge_callback(&cb, Some("s1"), false), exchange);
        assert_eq!(
            judge_callback(&cb, Some("s2"), false),
            CallbackVerdict::Refuse(LoginError::StateMismatch)
        );
        assert_eq!(
            judge_callback(&cb, None, false),
            CallbackVerdict::Refuse(LoginError::NoLoginInProgress)
        );
        let denied = parse_callback("error=access_denied&state=s1").unwrap();
        assert_eq!(
            judge_callback(&denied, Some("s1"), false),
            CallbackVerdict::Refuse(LoginError::Denied)
        );
        assert_eq!(parse_callback("v=0.2&e=0.3"), None);
        assert_eq!(
            without_callback("?v=0.2&code=xyz&state=s1&n=5"),
            "v=0.2&n=5"
        );
    }

    /// Reported: `?code=` without a state became a provider error, not a refusal.
    #[test]
    fn a_code_without_state_is_refused() {
        let cb = parse_callback("code=x").unwrap();
        assert_eq!(
            cb,
            Callback::Code {
                code: "x".into(),
                state: None
            }
        );
        assert_eq!(
            judge_callback(&cb, Some("s1"), false),
            CallbackVerdict::Refuse(LoginError::StateMismatch)
        );
    }

    /// Reported: `?error=<anything>` was honoured whatever the state, and its raw text
    /// was shown to the person.
    #[test]
    fn error_replies_need_the_state_and_never_echo_their_text() {
        let crafted =
            parse_callback("error=Your+account+is+locked,+call+0800&state=forged").unwrap();
        assert_eq!(
            crafted,
            Callback::Error {
                error: ProviderError::Other,
                state: Some("forged".into())
            }
        );
        assert_eq!(
            judge_callback(&crafted, Some("s1"), false),
            CallbackVerdict::Refuse(LoginError::StateMismatch)
        );
        assert_eq!(
            judge_callback(&crafted, None, false),
            CallbackVerdict::Refuse(LoginError::NoLoginInProgress)
        );
        let matching = parse_callback("error=Your+account+is+locked&state=s1").unwrap();
        let CallbackVerdict::Refuse(error) = judge_callback(&matching, Some("s1"), false) else {
            panic!("an error reply must be refused");
        };
        assert!(!error.to_string().contains("locked"), "{error}");
        let no_state = parse_callback("error=access_denied").unwrap();
        assert_eq!(
            judge_callback(&no_state, Some("s1"), false),
            CallbackVerdict::Refuse(LoginError::StateMismatch)
        );
        for code in [
            "invalid_request",
            "unauthorized_client",
            "unsupported_response_type",
            "invalid_scope",
            "server_error",
            "temporarily_unavailable",
        ] {
            let error = ProviderError::from_code(code);
            assert_ne!(error, ProviderError::Other, "{code}");
            assert!(!error.explanation().contains(code));
        }
    }

    /// Reported: Back to the consent page (or any stale reply) while logged in said "not
    /// logged in" although the tokens were still stored.
    #[test]
    fn a_stale_reply_while_logged_in_is_ignored() {
        let replay = parse_callback("code=new&state=old").unwrap();
        assert_eq!(
            judge_callback(&replay, None, true),
            CallbackVerdict::IgnoreStale
        );
        let crafted = parse_callback("error=access_denied").unwrap();
        assert_eq!(
            judge_callback(&crafted, None, true),
            CallbackVerdict::IgnoreStale
        );
    }

    #[test]
    fn client_ids_are_32_lowercase_hex() {
        assert_eq!(
            ClientId::parse(" 0123456789abcdef0123456789abcdef ")
                .unwrap()
                .as_str(),
            "0123456789abcdef0123456789abcdef"
        );
        assert_eq!(ClientId::parse(""), Err(ClientIdError::Empty));
        assert_eq!(
            ClientId::parse("abc"),
            Err(ClientIdError::WrongLength { found: 3 })
        );
        assert_eq!(
            ClientId::parse("0123456789ABCDEF0123456789abcdef"),
            Err(ClientIdError::NotHex { found: 'A' })
        );
        assert!(ClientIdError::NotHex { found: 'x' }
            .to_string()
            .contains("32 characters"));
    }

    #[test]
    fn token_debug_hides_tokens() {
        let tokens = TokenResponse {
            access_token: "SECRET-A".into(),
            token_type: "Bearer".into(),
            expires_in: 3600,
            refresh_token: Some("SECRET-R".into()),
            scope: None,
        };
        let shown = format!("{tokens:?}");
        assert!(!shown.contains("SECRET"), "{shown}");
        assert!(shown.contains("3600"));
    }

    #[test]
    fn refreshes_before_expiry() {
        assert!(!needs_refresh(None, 1e12));
        assert!(!needs_refresh(Some(f64::NAN), 1e12));
        assert!(!needs_refresh(
            Some(1_000_000.0),
            1_000_000.0 - REFRESH_MARGIN_MS - 1.0
        ));
        assert!(needs_refresh(
            Some(1_000_000.0),
            1_000_000.0 - REFRESH_MARGIN_MS
        ));
        assert!(needs_refresh(Some(1_000_000.0), 2_000_000.0));
    }
}
