//! Reads a CSV the person chose in the import worker (`static/import-worker.js`, running the
//! catalog builder's code compiled to wasm) so the page never freezes, reporting progress,
//! and brings back the library. The file goes to the worker, which is part of this page;
//! nothing is sent over the network.

use std::fmt;

use js_sys::{Promise, Reflect, Uint8Array};
use moodplane_core::catalog_file::import_worker_name;
use moodplane_core::library::{too_large, LibraryError, LibraryFile};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{File, MessageEvent, Worker};

use crate::catalog_loader::declared_in_page;

/// Why a file did not become a library.
#[derive(Debug, Clone, PartialEq)]
pub enum ImportError {
    /// By its name and type, not a CSV.
    NotCsv {
        name: String,
    },
    TooLarge(String),
    /// The builder's message: empty, unknown header, no usable rows…
    Unreadable(String),
    /// The worker could not start or stopped.
    WorkerFailed(String),
    /// The worker's answer did not read back (a bug, or a damaged download).
    Damaged(LibraryError),
}

impl fmt::Display for ImportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ImportError::NotCsv { name } => write!(
                f,
                "“{name}” is not a CSV file: open a .csv file, such as an Exportify export of a playlist or a dataset the catalog builder reads"
            ),
            ImportError::TooLarge(why) => f.write_str(why),
            ImportError::Unreadable(why) => f.write_str(why),
            ImportError::WorkerFailed(why) => write!(f, "the page could not start its CSV reader: {why}. Reload the page and try again"),
            ImportError::Damaged(why) => write!(f, "the CSV reader's answer was damaged ({why}). Reload the page and try again"),
        }
    }
}

/// Whether the file's name and type allow a CSV: a `.csv` or `.txt` name, no extension,
/// or a text/csv type.
fn looks_like_csv(file: &File) -> bool {
    let name = file.name().to_lowercase();
    let extension = name.rsplit_once('.').map(|(_, e)| e.to_owned());
    matches!(extension.as_deref(), None | Some("csv" | "txt")) || file.type_() == "text/csv"
}

/// Reads `file` in a fresh worker, calling `progress(fraction)` as it goes. Returns the
/// library and the bytes the worker sent (what the browser's storage keeps), so they are
/// not encoded a second time.
pub async fn import(
    file: File,
    progress: impl Fn(f64) + 'static,
) -> Result<(LibraryFile, Vec<u8>), ImportError> {
    if !looks_like_csv(&file) {
        return Err(ImportError::NotCsv { name: file.name() });
    }
    if let Some(why) = too_large(file.size()) {
        return Err(ImportError::TooLarge(why));
    }
    let script = declared_in_page("moodplane-import-worker");
    let worker = Worker::new(import_worker_name(script.as_deref()))
        .map_err(|e| ImportError::WorkerFailed(format!("{e:?}")))?;
    // The handlers live until the answer has come; then the worker is ended.
    type Handlers = (
        Closure<dyn FnMut(MessageEvent)>,
        Closure<dyn FnMut(web_sys::Event)>,
    );
    let mut handlers: Option<Handlers> = None;
    let progress = std::rc::Rc::new(progress);
    let promise = Promise::new(&mut |resolve, reject| {
        let failed = reject.clone();
        let progress = progress.clone();
        let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
            let data = event.data();
            let field =
                |name: &str| Reflect::get(&data, &JsValue::from_str(name)).unwrap_or_default();
            match field("kind").as_string().as_deref() {
                Some("progress") => {
                    let (done, total) = (field("done").as_f64(), field("total").as_f64());
                    if let (Some(done), Some(total)) = (done, total) {
                        progress(if total > 0.0 { done / total } else { 0.0 });
                    }
                }
                Some("done") => {
                    let _ = resolve.call1(&JsValue::NULL, &field("library"));
                }
                _ => {
                    let _ = reject.call1(&JsValue::NULL, &field("message"));
                }
            }
        });
        let on_error = Closure::<dyn FnMut(web_sys::Event)>::new(move |_| {
            let _ = failed.call1(
                &JsValue::NULL,
                &JsValue::from_str("WORKER: the reader's script did not load"),
            );
        });
        worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        handlers = Some((on_message, on_error));
    });
    let message = js_sys::Object::new();
    let _ = Reflect::set(&message, &JsValue::from_str("file"), &file);
    worker
        .post_message(&message)
        .map_err(|e| ImportError::WorkerFailed(format!("{e:?}")))?;
    let answer = JsFuture::from(promise).await;
    worker.terminate();
    drop(handlers);
    match answer {
        Ok(bytes) => {
            let bytes: Uint8Array = bytes
                .dyn_into()
                .map_err(|_| ImportError::WorkerFailed("no library in its answer".to_owned()))?;
            let bytes = bytes.to_vec();
            let library = LibraryFile::from_bytes(&bytes).map_err(ImportError::Damaged)?;
            Ok((library, bytes))
        }
        Err(message) => {
            let message = message.as_string().unwrap_or_default();
            Err(match message.strip_prefix("WORKER: ") {
                Some(why) => ImportError::WorkerFailed(why.to_owned()),
                None => ImportError::Unreadable(message),
            })
        }
    }
}
