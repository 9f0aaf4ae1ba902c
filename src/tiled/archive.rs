//! Reads a tiled catalog over HTTP: its manifest, and byte ranges of its archive (HTTP
//! Range requests), each inflated in the browser by `DecompressionStream`.

use std::fmt;

use gloo_net::http::Request;
use js_sys::Uint8Array;
use moodplane_core::tiled_manifest::{Blob, ManifestError, TiledManifest};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{ReadableWritablePair, RequestCache, Response};

#[wasm_bindgen]
extern "C" {
    /// The browser's gzip inflater (web-sys has it only behind an unstable flag).
    #[wasm_bindgen(js_name = DecompressionStream)]
    type Inflater;
    #[wasm_bindgen(constructor, js_class = "DecompressionStream", catch)]
    fn new(format: &str) -> Result<Inflater, JsValue>;
}

/// Why a piece of a tiled catalog could not be read.
#[derive(Debug, Clone, PartialEq)]
pub enum FetchError {
    /// No answer (offline, refused, blocked).
    Network { what: &'static str },
    /// An answer other than the bytes asked for.
    Status { what: &'static str, code: u16 },
    /// The bytes were not gzip, or the browser cannot inflate.
    Inflate { what: &'static str },
    /// The bytes arrived but say something wrong.
    Invalid { what: &'static str, detail: String },
}

impl fmt::Display for FetchError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FetchError::Network { what } => write!(
                f,
                "The {what} could not be downloaded: the connection failed. Check it and try again."
            ),
            FetchError::Status { what, code } => {
                write!(f, "The server answered {code} when asked for the {what}.")
            }
            FetchError::Inflate { what } => write!(
                f,
                "The {what} arrived but could not be unpacked (it is not gzip, or this browser lacks DecompressionStream)."
            ),
            FetchError::Invalid { what, detail } => {
                write!(f, "The {what} arrived but cannot be used: {detail}.")
            }
        }
    }
}

impl From<(&'static str, ManifestError)> for FetchError {
    fn from((what, error): (&'static str, ManifestError)) -> FetchError {
        FetchError::Invalid {
            what,
            detail: error.to_string(),
        }
    }
}

/// Downloads and checks the manifest at `path` (relative to the page); the first time,
/// takes the text the page's first list read instead (`static/first-list.js`).
pub async fn manifest(path: &str) -> Result<TiledManifest, FetchError> {
    const WHAT: &str = "tiled catalog's manifest";
    if let Some(text) = first_lists_manifest(path).await {
        return TiledManifest::from_json(&text).map_err(|e| (WHAT, e).into());
    }
    let response = Request::get(path)
        .send()
        .await
        .map_err(|_| FetchError::Network { what: WHAT })?;
    if response.status() != 200 {
        return Err(FetchError::Status {
            what: WHAT,
            code: response.status(),
        });
    }
    let text = response
        .text()
        .await
        .map_err(|_| FetchError::Network { what: WHAT })?;
    TiledManifest::from_json(&text).map_err(|e| (WHAT, e).into())
}

/// The manifest at `path` as the first list read it (`window.moodplaneManifest`), taken
/// once: a failed read, or a retry, goes to the host.
async fn first_lists_manifest(path: &str) -> Option<String> {
    let window = web_sys::window()?;
    let key = JsValue::from_str("moodplaneManifest");
    let shared = js_sys::Reflect::get(&window, &key).ok()?;
    let _ = js_sys::Reflect::delete_property(window.unchecked_ref::<js_sys::Object>(), &key);
    let read_from = js_sys::Reflect::get(&shared, &JsValue::from_str("path")).ok()?;
    if read_from.as_string()? != path {
        return None;
    }
    let text = js_sys::Reflect::get(&shared, &JsValue::from_str("text")).ok()?;
    JsFuture::from(text.dyn_into::<js_sys::Promise>().ok()?)
        .await
        .ok()?
        .as_string()
}

/// `blob` as the first list read it (`window.moodplanePieces`, by offset), taken once.
fn first_lists_piece(blob: Blob) -> Option<Vec<u8>> {
    let pieces = js_sys::Reflect::get(
        &web_sys::window()?.into(),
        &JsValue::from_str("moodplanePieces"),
    )
    .ok()?
    .dyn_into::<js_sys::Map>()
    .ok()?;
    let at = JsValue::from_f64(blob.offset() as f64);
    let bytes = pieces.get(&at).dyn_into::<Uint8Array>().ok()?;
    // Another piece may start where this one does (a linked track's details window and
    // its first chunk): it is left for its own taker.
    if bytes.length() != blob.length() {
        return None;
    }
    pieces.delete(&at);
    Some(bytes.to_vec())
}

/// The inflated bytes of `blob` of the archive at `archive` (relative to the page).
pub async fn blob(archive: &str, blob: Blob, what: &'static str) -> Result<Vec<u8>, FetchError> {
    let compressed = packed(archive, blob, what).await?;
    inflate(compressed)
        .await
        .map_err(|_| FetchError::Inflate { what })
}

/// The bytes of `blob` as they lie in the archive (one or more gzip blobs end to end). A
/// host that ignores `Range` answers 200 with the whole archive; the blob is cut from it.
///
/// Past the browser's cache (`no-store`): Chrome's cache lets one request for a URL
/// through at a time, so every range of the one archive would wait for the one before
/// (a page's first wave of tiles one round trip each; a library's id shards 5 × slower,
/// measured). The host's and a CDN's caches still serve the immutable archive.
pub async fn packed(archive: &str, blob: Blob, what: &'static str) -> Result<Vec<u8>, FetchError> {
    if let Some(read) = first_lists_piece(blob) {
        return Ok(read);
    }
    let last = blob.offset() + u64::from(blob.length()).max(1) - 1;
    let response = Request::get(archive)
        .header("Range", &format!("bytes={}-{last}", blob.offset()))
        .cache(RequestCache::NoStore)
        .send()
        .await
        .map_err(|_| FetchError::Network { what })?;
    let compressed = match response.status() {
        206 => response
            .binary()
            .await
            .map_err(|_| FetchError::Network { what })?,
        200 => {
            let whole = response
                .binary()
                .await
                .map_err(|_| FetchError::Network { what })?;
            let start = blob.offset() as usize;
            whole
                .get(start..start + blob.length() as usize)
                .ok_or(FetchError::Invalid {
                    what,
                    detail: "the archive is shorter than its manifest says".to_owned(),
                })?
                .to_vec()
        }
        code => return Err(FetchError::Status { what, code }),
    };
    if compressed.len() != blob.length() as usize {
        return Err(FetchError::Invalid {
            what,
            detail: format!(
                "{} bytes came where {} were asked for",
                compressed.len(),
                blob.length()
            ),
        });
    }
    Ok(compressed)
}

/// Gunzips `bytes` with the browser's own inflater.
pub async fn inflate(mut bytes: Vec<u8>) -> Result<Vec<u8>, JsValue> {
    let packed = Response::new_with_opt_u8_array(Some(&mut bytes))?;
    let stream = packed.body().ok_or(JsValue::NULL)?;
    let inflater = Inflater::new("gzip")?;
    let inflated = stream.pipe_through(inflater.unchecked_ref::<ReadableWritablePair>());
    let unpacked = Response::new_with_opt_readable_stream(Some(&inflated))?;
    let buffer = JsFuture::from(unpacked.array_buffer()?).await?;
    Ok(Uint8Array::new(&buffer).to_vec())
}
