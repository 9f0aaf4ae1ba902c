//! Waiting inside async work on the browser's own timer (no extra crate in the wasm).

use leptos::prelude::window;
use wasm_bindgen::JsCast;

/// Resolves after `millis` milliseconds.
pub async fn sleep(millis: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _reject| {
        let _ = window()
            .set_timeout_with_callback_and_timeout_and_arguments_0(resolve.unchecked_ref(), millis);
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}
