//! The login itself: starting it (verifier, state and client ID into sessionStorage, then
//! off to the consent page), finishing it on return (the reply judged by the core, the
//! code exchanged, the URL cleaned), refreshing tokens one refresh at a time (Spotify's
//! refresh tokens are single-use) and before they expire, and logging out.

use std::cell::RefCell;
use std::rc::Rc;

use gloo_net::http::Request;
use leptos::prelude::window;
use moodplane_core::spotify::oauth::{
    judge_callback, needs_refresh, parse_callback, token_failure, without_callback, AuthConfig,
    Callback, CallbackVerdict, ClientId, LoginError, TokenResponse,
};
use moodplane_core::spotify::pkce::{new_state, CodeVerifier, STATE_BYTES, VERIFIER_BYTES};

use super::config::{client_id, redirect_uri, ACCOUNTS_BASE};
use crate::storage::*;

fn random_bytes<const N: usize>() -> Result<[u8; N], LoginError> {
    let mut bytes = [0u8; N];
    window()
        .crypto()
        .and_then(|c| c.get_random_values_with_u8_array(&mut bytes))
        .map_err(|_| LoginError::Network {
            detail: "this browser offers no secure random numbers".to_owned(),
        })?;
    Ok(bytes)
}

fn auth_config(client_id: &str) -> AuthConfig {
    AuthConfig {
        accounts_base: ACCOUNTS_BASE.to_owned(),
        client_id: client_id.to_owned(),
        redirect_uri: redirect_uri(),
    }
}

/// Saves what must survive the trip to Spotify (the login is bound to the client ID it
/// starts with) and sends the browser to the consent page.
pub fn begin_login(pending_paste: Option<&str>) -> Result<(), LoginError> {
    begin_login_with_scope(pending_paste, "")
}

/// [`begin_login`] asking for `scope` too (a playlist save asks for its scope only then).
pub fn begin_login_with_scope(pending_paste: Option<&str>, scope: &str) -> Result<(), LoginError> {
    let configured = client_id();
    if configured.trim().is_empty() {
        return Err(LoginError::NoClientId);
    }
    let client =
        ClientId::parse(&configured).map_err(|problem| LoginError::BadClientId { problem })?;
    let config = auth_config(client.as_str());
    let verifier = CodeVerifier::from_random(&random_bytes::<VERIFIER_BYTES>()?);
    let state = new_state(&random_bytes::<STATE_BYTES>()?);
    session_set(VERIFIER_KEY, verifier.secret());
    session_set(STATE_KEY, &state);
    session_set(LOGIN_CLIENT_ID_KEY, client.as_str());
    let view = window().location().search().unwrap_or_default();
    session_set(RETURN_VIEW_KEY, view.trim_start_matches('?'));
    match pending_paste {
        Some(text) => session_set(PENDING_PASTE_KEY, text),
        None => session_remove(PENDING_PASTE_KEY),
    }
    window()
        .location()
        .assign(&config.authorize_url_with_scope(&verifier, &state, scope))
        .map_err(|_| LoginError::Network {
            detail: "the browser would not open the login page".to_owned(),
        })
}

/// If the page was opened as the login callback, takes the callback out of the URL at
/// once (restoring the view the person left) and returns it.
pub fn take_callback_from_url() -> Option<Callback> {
    let search = window().location().search().unwrap_or_default();
    let callback = parse_callback(&search)?;
    let kept = without_callback(&search);
    let restored = session_take(RETURN_VIEW_KEY).unwrap_or_default();
    let query = if kept.is_empty() { restored } else { kept };
    let path = window()
        .location()
        .pathname()
        .unwrap_or_else(|_| "/".to_owned());
    let url = if query.is_empty() {
        path
    } else {
        format!("{path}?{query}")
    };
    if let Ok(history) = window().history() {
        let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url));
    }
    Some(callback)
}

/// The text pasted before logging in, to carry on with after it.
pub fn take_pending_paste() -> Option<String> {
    session_take(PENDING_PASTE_KEY)
}

/// Stores a new login's tokens (every old token key cleared first) or a refresh's
/// (the single-use refresh token replaced by the new one).
fn store_tokens(tokens: &TokenResponse, client_id: &str, new_login: bool) {
    if new_login {
        for key in TOKEN_KEYS {
            session_remove(key);
        }
    }
    session_set(TOKEN_CLIENT_ID_KEY, client_id);
    if let Some(scope) = &tokens.scope {
        session_set(TOKEN_SCOPE_KEY, scope);
    }
    session_set(ACCESS_TOKEN_KEY, &tokens.access_token);
    if let Some(refresh) = &tokens.refresh_token {
        session_set(REFRESH_TOKEN_KEY, refresh);
    }
    let expires_at = js_sys::Date::now() + tokens.expires_in as f64 * 1000.0;
    session_set(EXPIRES_AT_KEY, &expires_at.to_string());
}

async fn post_token(
    config: &AuthConfig,
    body: String,
    refreshing: bool,
) -> Result<TokenResponse, LoginError> {
    let network = |e: gloo_net::Error| LoginError::Network {
        detail: e.to_string(),
    };
    let response = Request::post(&config.token_url())
        .header("Content-Type", "application/x-www-form-urlencoded")
        .body(body)
        .map_err(network)?
        .send()
        .await
        .map_err(network)?;
    let status = response.status();
    let text = response.text().await.unwrap_or_default();
    if !response.ok() {
        return Err(token_failure(status, &text, refreshing));
    }
    serde_json::from_str(&text).map_err(|e| LoginError::ExchangeRefused {
        status,
        error: format!("unreadable token answer: {e}"),
    })
}

/// How a login reply ended when it did not fail.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LoginOutcome {
    LoggedIn,
    /// A stale reply while already logged in: nothing changed.
    Unchanged,
}

/// Judges the callback against this tab's saved state and exchanges the code for tokens,
/// with the verifier and client ID this tab's login started with. Those secrets are
/// single-use: removed whatever the outcome. Tokens already held are never touched by a
/// refused reply.
pub async fn complete_login(callback: Callback) -> Result<LoginOutcome, LoginError> {
    let saved_state = session_take(STATE_KEY);
    let saved_verifier = session_take(VERIFIER_KEY);
    let login_client_id = session_take(LOGIN_CLIENT_ID_KEY);
    let code = match judge_callback(&callback, saved_state.as_deref(), has_session()) {
        CallbackVerdict::Exchange { code } => code,
        CallbackVerdict::IgnoreStale => return Ok(LoginOutcome::Unchanged),
        CallbackVerdict::Refuse(error) => return Err(error),
    };
    let verifier = saved_verifier
        .and_then(|v| CodeVerifier::parse(&v).ok())
        .ok_or(LoginError::NoLoginInProgress)?;
    let client_id = login_client_id.ok_or(LoginError::NoLoginInProgress)?;
    let config = auth_config(&client_id);
    let body = config.code_exchange_body(&code, &verifier);
    let tokens = post_token(&config, body, false).await?;
    store_tokens(&tokens, &client_id, true);
    Ok(LoginOutcome::LoggedIn)
}

/// A caller waiting for the refresh under way: where its result goes, and the resolve
/// function of the promise it awaits.
struct Waiter {
    slot: Rc<RefCell<Option<Result<(), LoginError>>>>,
    wake: js_sys::Function,
}

/// The refresh under way, and who waits for it.
#[derive(Default)]
struct InFlight {
    running: bool,
    waiting: Vec<Waiter>,
}

thread_local! {
    static REFRESH_IN_FLIGHT: RefCell<InFlight> = RefCell::new(InFlight::default());
}

/// Trades the refresh token for new tokens, one refresh at a time: a caller that needs a
/// refresh while one is under way waits for its result instead of spending the
/// (single-use) refresh token a second time.
pub async fn refresh() -> Result<(), LoginError> {
    let slot = Rc::new(RefCell::new(None));
    let mut wake = None;
    let promise = js_sys::Promise::new(&mut |resolve, _reject| wake = Some(resolve));
    let joined = REFRESH_IN_FLIGHT.with(|flight| {
        let mut flight = flight.borrow_mut();
        if flight.running {
            if let Some(wake) = wake.take() {
                flight.waiting.push(Waiter {
                    slot: slot.clone(),
                    wake,
                });
            }
            true
        } else {
            flight.running = true;
            false
        }
    });
    if !joined {
        return refresh_once().await;
    }
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
    let result = slot.borrow_mut().take();
    result.unwrap_or(Err(LoginError::SessionExpired))
}

async fn refresh_once() -> Result<(), LoginError> {
    let result = refresh_with_stored_token().await;
    let waiting = REFRESH_IN_FLIGHT.with(|flight| {
        let mut flight = flight.borrow_mut();
        flight.running = false;
        std::mem::take(&mut flight.waiting)
    });
    for waiter in waiting {
        *waiter.slot.borrow_mut() = Some(result.clone());
        let _ = waiter.wake.call0(&wasm_bindgen::JsValue::NULL);
    }
    result
}

async fn refresh_with_stored_token() -> Result<(), LoginError> {
    let refresh_token = session_get(REFRESH_TOKEN_KEY).ok_or(LoginError::SessionExpired)?;
    let client_id = session_get(TOKEN_CLIENT_ID_KEY).ok_or(LoginError::SessionExpired)?;
    let config = auth_config(&client_id);
    match post_token(&config, config.refresh_body(&refresh_token), true).await {
        Ok(tokens) => {
            store_tokens(&tokens, &client_id, false);
            Ok(())
        }
        Err(LoginError::SessionExpired) => {
            // Only the session whose token was refused ends: if another login or refresh
            // stored a new refresh token meanwhile, that one stands.
            if session_get(REFRESH_TOKEN_KEY).as_deref() == Some(refresh_token.as_str()) {
                logout();
                Err(LoginError::SessionExpired)
            } else {
                Ok(())
            }
        }
        Err(other) => Err(other),
    }
}

/// The access token to send, refreshed first when it is missing or about to expire (a
/// failed early refresh is not fatal: the token may still work, and a 401 refreshes again).
pub async fn fresh_access_token() -> Option<String> {
    let expires_at = session_get(EXPIRES_AT_KEY).and_then(|t| t.parse::<f64>().ok());
    let lapsing = access_token().is_none() || needs_refresh(expires_at, js_sys::Date::now());
    if lapsing && session_get(REFRESH_TOKEN_KEY).is_some() {
        let _ = refresh().await;
    }
    access_token()
}

/// The scopes this tab's login was granted (space-separated; empty when none).
pub fn granted_scope() -> String {
    session_get(TOKEN_SCOPE_KEY).unwrap_or_default()
}

pub fn access_token() -> Option<String> {
    session_get(ACCESS_TOKEN_KEY)
}

/// Whether this tab holds a Spotify session.
pub fn has_session() -> bool {
    access_token().is_some() || session_get(REFRESH_TOKEN_KEY).is_some()
}

/// Forgets every token and login secret of this tab.
pub fn logout() {
    for key in SESSION_KEYS {
        session_remove(key);
    }
}
