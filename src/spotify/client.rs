//! Authorised GETs and POSTs to the Web API: the token refreshed before it expires, one refresh
//! and retry on 401 (shared with every other request that hit the same 401), every other
//! failure classified by the core into what the person is told.

use gloo_net::http::Request;
use moodplane_core::spotify::api::{classify, ApiFailure, Endpoint};
use moodplane_core::spotify::oauth::LoginError;
use moodplane_core::TrackId;

use super::config::API_BASE;
use super::session;

/// The body of a successful GET, or why there is none.
pub async fn get(endpoint: Endpoint, id: Option<&TrackId>) -> Result<String, ApiFailure> {
    send(endpoint, &endpoint.path(id), None).await
}

/// The body of a successful POST of `json` to `path`, or why there is none.
pub async fn post(endpoint: Endpoint, path: &str, json: &str) -> Result<String, ApiFailure> {
    send(endpoint, path, Some(json)).await
}

async fn send(endpoint: Endpoint, path: &str, json: Option<&str>) -> Result<String, ApiFailure> {
    let url = format!("{API_BASE}{path}");
    let network = |e: gloo_net::Error| ApiFailure::Network {
        detail: e.to_string(),
    };
    let mut refreshed = false;
    loop {
        let token = session::fresh_access_token()
            .await
            .ok_or(ApiFailure::Unauthorized)?;
        let bearer = format!("Bearer {token}");
        let response = match json {
            None => {
                Request::get(&url)
                    .header("Authorization", &bearer)
                    .send()
                    .await
            }
            Some(body) => {
                Request::post(&url)
                    .header("Authorization", &bearer)
                    .header("Content-Type", "application/json")
                    .body(body.to_owned())
                    .map_err(network)?
                    .send()
                    .await
            }
        }
        .map_err(network)?;
        let status = response.status();
        if response.ok() {
            return response.text().await.map_err(|e| ApiFailure::BadAnswer {
                detail: e.to_string(),
            });
        }
        if status == 401 && !refreshed {
            refreshed = true;
            // A refresh by another request since this one left: retry with its token.
            if session::access_token().is_some_and(|now| now != token) {
                continue;
            }
            match session::refresh().await {
                Ok(()) => continue,
                Err(LoginError::Network { detail }) => return Err(ApiFailure::Network { detail }),
                Err(_) => return Err(ApiFailure::Unauthorized),
            }
        }
        let retry_after = response.headers().get("retry-after");
        let body = response.text().await.unwrap_or_default();
        return Err(classify(endpoint, status, retry_after.as_deref(), &body));
    }
}
