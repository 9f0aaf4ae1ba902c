//! Fetches the catalog JSON that the build placed beside the page and validates it.

use std::fmt;

use gloo_net::http::Request;
use moodplane_core::{Catalog, CatalogError};

/// Path of the catalog, relative to the page.
const CATALOG_PATH: &str = "catalog.json";

/// Why the catalog could not be loaded.
#[derive(Debug, Clone)]
pub enum LoadError {
    Network(String),
    Status(u16),
    Invalid(CatalogError),
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LoadError::Network(detail) => write!(
                f,
                "The track catalog could not be downloaded ({detail}). Check the connection and try again."
            ),
            LoadError::Status(code) => write!(
                f,
                "The server answered {code} when asked for the track catalog ({CATALOG_PATH})."
            ),
            LoadError::Invalid(error) => {
                write!(f, "The track catalog arrived but cannot be used: {error}.")
            }
        }
    }
}

pub async fn fetch_catalog() -> Result<Catalog, LoadError> {
    let response = Request::get(CATALOG_PATH)
        .send()
        .await
        .map_err(|e| LoadError::Network(e.to_string()))?;
    if !response.ok() {
        return Err(LoadError::Status(response.status()));
    }
    let text = response
        .text()
        .await
        .map_err(|e| LoadError::Network(e.to_string()))?;
    Catalog::from_json(&text).map_err(LoadError::Invalid)
}
