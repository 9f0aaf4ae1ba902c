//! Downloads the packed catalog that the build placed beside the page, reporting progress
//! (XMLHttpRequest, whose progress events fetch lacks), and decodes and validates it.

use std::fmt;

use js_sys::{Function, Promise, Uint8Array};
use leptos::prelude::*;
use moodplane_core::catalog_file::packed_catalog_name;
use moodplane_core::{Catalog, CatalogError, PackedSource};

use crate::tiled::archive::FetchError;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{ProgressEvent, XmlHttpRequest, XmlHttpRequestResponseType};

/// Path of the packed catalog, relative to the page: `catalog.bin`, or the content-hashed
/// name a deployable build declares in `<meta name="moodplane-catalog">`.
fn catalog_path() -> String {
    packed_catalog_name(declared_in_page("moodplane-catalog").as_deref()).to_owned()
}

/// What the page's `<meta name="{name}">` says, if it has one (a deployable build names
/// its content-hashed files so).
pub fn declared_in_page(name: &str) -> Option<String> {
    document()
        .query_selector(&format!("meta[name='{name}']"))
        .ok()
        .flatten()
        .and_then(|meta| meta.get_attribute("content"))
}

/// Where a load is.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum LoadProgress {
    /// Bytes received, and the total when the server says it.
    Downloading { loaded: f64, total: Option<f64> },
    /// Downloaded; decoding and indexing.
    Preparing,
}

/// Why the catalog could not be loaded.
#[derive(Debug, Clone)]
pub enum LoadError {
    Network(String),
    Status(u16),
    Invalid(CatalogError),
    /// A tiled catalog's manifest could not be read.
    Tiled(FetchError),
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
                "The server answered {code} when asked for the track catalog ({}).",
                catalog_path()
            ),
            LoadError::Invalid(error) => {
                write!(f, "The track catalog arrived but cannot be used: {error}.")
            }
            LoadError::Tiled(error) => error.fmt(f),
        }
    }
}

fn network(what: &str) -> LoadError {
    LoadError::Network(what.to_owned())
}

/// The downloaded bytes, still in JavaScript: decoding copies each section straight into
/// its place in wasm memory, so the file is never held twice there.
struct JsBytes(Uint8Array);

impl PackedSource for JsBytes {
    fn byte_len(&self) -> usize {
        self.0.length() as usize
    }
    fn copy_to(&self, start: usize, out: &mut [u8]) {
        self.0
            .subarray(start as u32, (start + out.len()) as u32)
            .copy_to(out);
    }
}

/// Lets the browser paint (the progress bar) before a long synchronous step.
async fn next_frame() {
    let promise = Promise::new(&mut |resolve: Function, _| {
        let _ = window().set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 0);
    });
    let _ = JsFuture::from(promise).await;
}

pub async fn fetch_catalog(progress: RwSignal<Option<LoadProgress>>) -> Result<Catalog, LoadError> {
    let xhr = XmlHttpRequest::new().map_err(|_| network("this browser cannot make requests"))?;
    xhr.open("GET", &catalog_path())
        .map_err(|_| network("the request could not be opened"))?;
    xhr.set_response_type(XmlHttpRequestResponseType::Arraybuffer);
    let on_progress = Closure::<dyn FnMut(ProgressEvent)>::new(move |e: ProgressEvent| {
        let total = e.length_computable().then(|| e.total());
        progress.set(Some(LoadProgress::Downloading {
            loaded: e.loaded(),
            total,
        }));
    });
    xhr.set_onprogress(Some(on_progress.as_ref().unchecked_ref()));
    let finished = Promise::new(&mut |resolve: Function, reject: Function| {
        xhr.set_onload(Some(&resolve));
        xhr.set_onerror(Some(&reject));
        xhr.set_onabort(Some(&reject));
    });
    xhr.send()
        .map_err(|_| network("the request could not be sent"))?;
    let outcome = JsFuture::from(finished).await;
    drop(on_progress);
    outcome.map_err(|_| network("the connection failed"))?;
    let status = xhr.status().unwrap_or(0);
    if status != 200 {
        return Err(LoadError::Status(status));
    }
    let body = xhr
        .response()
        .map_err(|_| network("the answer could not be read"))?;
    let bytes = JsBytes(Uint8Array::new(&body));
    progress.set(Some(LoadProgress::Preparing));
    next_frame().await;
    Catalog::from_packed_source(&bytes).map_err(LoadError::Invalid)
}
