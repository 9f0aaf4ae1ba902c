//! The login itself: starting it (verifier and state into sessionStorage, then off to the
//! consent page), finishing it on return (state check, code exchange, URL cleaned),
//! refreshing tokens (single-use refresh tokens replaced every time) and logging out.

use gloo_net::http::Request;
use leptos::prelude::window;
use moodplane_core::spotify::oauth::{
    parse_callback, token_failure, verify_callback, without_callback, AuthConfig, Callback,
    LoginError, TokenResponse,
};
use moodplane_core::spotify::pkce::{new_state, CodeVerifier, STATE_BYTES, VERIFIER_BYTES};

use super::config::{client_id, redirect_uri, ACCOUNTS_BASE};
use super::storage::*;

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

fn auth_config() -> Result<AuthConfig, LoginError> {
    let client_id = client_id();
    if client_id.trim().is_empty() {
        return Err(LoginError::NoClientId);
    }
    Ok(AuthConfig {
        accounts_base: ACCOUNTS_BASE.to_owned(),
        client_id,
        redirect_uri: redirect_uri(),
    })
}

/// Saves what must survive the trip to Spotify and sends the browser to the consent page.
pub fn begin_login(pending_paste: Option<&str>) -> Result<(), LoginError> {
    let config = auth_config()?;
    let verifier = CodeVerifier::from_random(&random_bytes::<VERIFIER_BYTES>()?);
    let state = new_state(&random_bytes::<STATE_BYTES>()?);
    session_set(VERIFIER_KEY, verifier.secret());
    session_set(STATE_KEY, &state);
    let view = window().location().search().unwrap_or_default();
    session_set(RETURN_VIEW_KEY, view.trim_start_matches('?'));
    match pending_paste {
        Some(text) => session_set(PENDING_PASTE_KEY, text),
        None => session_remove(PENDING_PASTE_KEY),
    }
    window()
        .location()
        .assign(&config.authorize_url(&verifier, &state))
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

fn store_tokens(tokens: &TokenResponse) {
    session_set(ACCESS_TOKEN_KEY, &tokens.access_token);
    // Refresh tokens are single-use: each answer's replaces the one just spent.
    if let Some(refresh) = &tokens.refresh_token {
        session_set(REFRESH_TOKEN_KEY, refresh);
    }
    let expires_at = js_sys::Date::now() + tokens.expires_in as f64 * 1000.0;
    session_set(EXPIRES_AT_KEY, &expires_at.to_string());
}

async fn post_token(config: &AuthConfig, body: String, refreshing: bool) -> Result<(), LoginError> {
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
    let tokens: TokenResponse =
        serde_json::from_str(&text).map_err(|e| LoginError::ExchangeRefused {
            status,
            error: format!("unreadable token answer: {e}"),
        })?;
    store_tokens(&tokens);
    Ok(())
}

/// Checks the callback against this tab's saved state and exchanges the code for tokens.
/// The saved verifier and state are single-use: removed whatever the outcome.
pub async fn complete_login(callback: Callback) -> Result<(), LoginError> {
    let saved_state = session_take(STATE_KEY);
    let saved_verifier = session_take(VERIFIER_KEY);
    let code = verify_callback(&callback, saved_state.as_deref())?;
    let verifier = saved_verifier
        .and_then(|v| CodeVerifier::parse(&v).ok())
        .ok_or(LoginError::NoLoginInProgress)?;
    let config = auth_config()?;
    let body = config.code_exchange_body(&code, &verifier);
    post_token(&config, body, false).await
}

/// Trades the refresh token for new tokens; on refusal the session is cleared.
pub async fn refresh() -> Result<(), LoginError> {
    let refresh_token = session_get(REFRESH_TOKEN_KEY).ok_or(LoginError::SessionExpired)?;
    let config = auth_config()?;
    let result = post_token(&config, config.refresh_body(&refresh_token), true).await;
    if matches!(result, Err(LoginError::SessionExpired)) {
        logout();
    }
    result
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
