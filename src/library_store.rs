//! Keeps the person's libraries in this browser only: IndexedDB database "moodplane",
//! store "libraries", each library's byte form (`LibraryFile::to_bytes`) under a number,
//! until the person removes it; and store "places" (version 2), what a tiled catalog's id
//! shards said of the libraries' tracks (`FoundPlaces::to_bytes`), under the catalog's
//! content-hashed archive name, for that one catalog only. Written on web-sys directly rather than through an
//! IndexedDB crate (idb, rexie, indexed_db_futures): the page needs four calls, and each
//! crate's promise and error layers would add to the wasm every visitor downloads.

use std::fmt;

use js_sys::{Array, Promise, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{
    IdbDatabase, IdbObjectStoreParameters, IdbRequest, IdbTransaction, IdbTransactionMode,
};

const DATABASE: &str = "moodplane";
const STORE: &str = "libraries";
const PLACES: &str = "places";
/// 2: the places store.
const VERSION: u32 = 2;

/// Why the browser did not keep (or give back) a library.
#[derive(Debug, Clone, PartialEq)]
pub enum StoreError {
    /// No IndexedDB here (a private window in some browsers, or storage turned off).
    Unavailable(String),
    /// The browser refused the operation (out of quota, for example).
    Refused(String),
}

impl fmt::Display for StoreError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StoreError::Unavailable(why) => write!(
                f,
                "this browser cannot keep libraries (IndexedDB is unavailable: {why}); it stays open until the page is closed"
            ),
            StoreError::Refused(why) => write!(f, "the browser did not store the library: {why}"),
        }
    }
}

fn message_of(value: &JsValue) -> String {
    value
        .dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .or_else(|| value.as_string())
        .unwrap_or_else(|| "no reason given".to_owned())
}

/// Waits for a request to succeed (its result) or fail (the browser's reason).
async fn finished(request: &IdbRequest) -> Result<JsValue, StoreError> {
    let promise = Promise::new(&mut |resolve, reject| {
        let on_success = Closure::once_into_js(move || {
            let _ = resolve.call0(&JsValue::NULL);
        });
        let on_error = Closure::once_into_js(move || {
            let _ = reject.call0(&JsValue::NULL);
        });
        request.set_onsuccess(Some(on_success.unchecked_ref()));
        request.set_onerror(Some(on_error.unchecked_ref()));
    });
    match JsFuture::from(promise).await {
        Ok(_) => request
            .result()
            .map_err(|e| StoreError::Refused(message_of(&e))),
        Err(_) => Err(StoreError::Refused(
            request
                .error()
                .ok()
                .flatten()
                .map(|e| e.message())
                .unwrap_or_else(|| "no reason given".to_owned()),
        )),
    }
}

async fn database() -> Result<IdbDatabase, StoreError> {
    let factory = window()
        .indexed_db()
        .map_err(|e| StoreError::Unavailable(message_of(&e)))?
        .ok_or_else(|| StoreError::Unavailable("not offered".to_owned()))?;
    let request = factory
        .open_with_u32(DATABASE, VERSION)
        .map_err(|e| StoreError::Unavailable(message_of(&e)))?;
    let opening = request.clone();
    let on_upgrade = Closure::once_into_js(move || {
        if let Ok(db) = opening.result().and_then(|r| r.dyn_into::<IdbDatabase>()) {
            let parameters = IdbObjectStoreParameters::new();
            parameters.set_auto_increment(true);
            // Each store made when missing (creating one that exists only fails).
            let _ = db.create_object_store_with_optional_parameters(STORE, &parameters);
            let _ = db.create_object_store(PLACES);
        }
    });
    request.set_onupgradeneeded(Some(on_upgrade.unchecked_ref()));
    finished(&request)
        .await?
        .dyn_into::<IdbDatabase>()
        .map_err(|e| StoreError::Unavailable(message_of(&e)))
}

fn store(
    db: &IdbDatabase,
    mode: IdbTransactionMode,
) -> Result<(IdbTransaction, web_sys::IdbObjectStore), StoreError> {
    store_named(db, STORE, mode)
}

fn store_named(
    db: &IdbDatabase,
    name: &str,
    mode: IdbTransactionMode,
) -> Result<(IdbTransaction, web_sys::IdbObjectStore), StoreError> {
    let transaction = db
        .transaction_with_str_and_mode(name, mode)
        .map_err(|e| StoreError::Refused(message_of(&e)))?;
    let store = transaction
        .object_store(name)
        .map_err(|e| StoreError::Refused(message_of(&e)))?;
    Ok((transaction, store))
}

/// The places kept for the catalog whose archive is `catalog`, if any.
pub async fn places_for(catalog: &str) -> Result<Option<Vec<u8>>, StoreError> {
    let db = database().await?;
    let (_, places) = store_named(&db, PLACES, IdbTransactionMode::Readonly)?;
    let request = places
        .get(&JsValue::from_str(catalog))
        .map_err(|e| StoreError::Refused(message_of(&e)))?;
    let value = finished(&request).await?;
    db.close();
    Ok(value
        .dyn_into::<Uint8Array>()
        .ok()
        .map(|bytes| bytes.to_vec()))
}

/// Keeps `bytes` as the places of the catalog `catalog`, and nothing of any other catalog
/// (or nothing at all, for `None`: no library is open).
pub async fn keep_places(catalog: &str, bytes: Option<&[u8]>) -> Result<(), StoreError> {
    let db = database().await?;
    let (transaction, places) = store_named(&db, PLACES, IdbTransactionMode::Readwrite)?;
    let committed = commit_of(&transaction);
    // Requests of one transaction run in order: the put follows the clear.
    let mut last = places
        .clear()
        .map_err(|e| StoreError::Refused(message_of(&e)))?;
    if let Some(bytes) = bytes {
        last = places
            .put_with_key(&Uint8Array::from(bytes), &JsValue::from_str(catalog))
            .map_err(|e| StoreError::Refused(message_of(&e)))?;
    }
    finished(&last).await?;
    committed.await?;
    db.close();
    Ok(())
}

/// Watches a write transaction until it is committed (a request's success comes before
/// that; a page closed in between would lose the write). The handlers are attached now,
/// before any await, so a commit that lands early is not missed.
fn commit_of(
    transaction: &IdbTransaction,
) -> impl std::future::Future<Output = Result<(), StoreError>> {
    // An error is followed by an abort: the failure handler may run twice, so it is a
    // reusable closure, kept until the answer is in.
    type Handler = Closure<dyn FnMut()>;
    let mut handlers: Option<(Handler, Handler)> = None;
    let promise = Promise::new(&mut |resolve, reject| {
        let on_complete = Closure::<dyn FnMut()>::new(move || {
            let _ = resolve.call0(&JsValue::NULL);
        });
        let on_failure = Closure::<dyn FnMut()>::new(move || {
            let _ = reject.call0(&JsValue::NULL);
        });
        transaction.set_oncomplete(Some(on_complete.as_ref().unchecked_ref()));
        transaction.set_onerror(Some(on_failure.as_ref().unchecked_ref()));
        transaction.set_onabort(Some(on_failure.as_ref().unchecked_ref()));
        handlers = Some((on_complete, on_failure));
    });
    let transaction = transaction.clone();
    async move {
        let answer = JsFuture::from(promise).await;
        transaction.set_oncomplete(None);
        transaction.set_onerror(None);
        transaction.set_onabort(None);
        drop(handlers);
        answer.map(|_| ()).map_err(|_| {
            StoreError::Refused(
                transaction
                    .error()
                    .map(|e| e.message())
                    .unwrap_or_else(|| "the write was abandoned".to_owned()),
            )
        })
    }
}

/// Stores a library's bytes; returns its key.
pub async fn put(bytes: &[u8]) -> Result<f64, StoreError> {
    let db = database().await?;
    let (transaction, libraries) = store(&db, IdbTransactionMode::Readwrite)?;
    let committed = commit_of(&transaction);
    let request = libraries
        .add(&Uint8Array::from(bytes))
        .map_err(|e| StoreError::Refused(message_of(&e)))?;
    let key = finished(&request).await?;
    committed.await?;
    db.close();
    key.as_f64()
        .ok_or_else(|| StoreError::Refused("the browser gave no key".to_owned()))
}

/// Stores new bytes for a library already stored under `key`.
pub async fn replace(key: f64, bytes: &[u8]) -> Result<(), StoreError> {
    let db = database().await?;
    let (transaction, libraries) = store(&db, IdbTransactionMode::Readwrite)?;
    let committed = commit_of(&transaction);
    let request = libraries
        .put_with_key(&Uint8Array::from(bytes), &JsValue::from_f64(key))
        .map_err(|e| StoreError::Refused(message_of(&e)))?;
    finished(&request).await?;
    committed.await?;
    db.close();
    Ok(())
}

/// Every stored library: (key, bytes), oldest first.
pub async fn all() -> Result<Vec<(f64, Vec<u8>)>, StoreError> {
    let db = database().await?;
    let (_, libraries) = store(&db, IdbTransactionMode::Readonly)?;
    let keys = libraries
        .get_all_keys()
        .map_err(|e| StoreError::Refused(message_of(&e)))?;
    let values = libraries
        .get_all()
        .map_err(|e| StoreError::Refused(message_of(&e)))?;
    let keys: Array = finished(&keys).await?.unchecked_into();
    let values: Array = finished(&values).await?.unchecked_into();
    db.close();
    Ok(keys
        .iter()
        .zip(values.iter())
        .filter_map(|(key, value)| {
            let bytes = value.dyn_into::<Uint8Array>().ok()?.to_vec();
            Some((key.as_f64()?, bytes))
        })
        .collect())
}

/// Forgets a stored library.
pub async fn remove(key: f64) -> Result<(), StoreError> {
    let db = database().await?;
    let (transaction, libraries) = store(&db, IdbTransactionMode::Readwrite)?;
    let committed = commit_of(&transaction);
    let request = libraries
        .delete(&JsValue::from_f64(key))
        .map_err(|e| StoreError::Refused(message_of(&e)))?;
    finished(&request).await?;
    committed.await?;
    db.close();
    Ok(())
}

fn window() -> web_sys::Window {
    web_sys::window().expect("the page runs in a window")
}
