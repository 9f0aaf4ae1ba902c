//! Waiting inside async work on the browser's own timers (no extra crate in the wasm).

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

/// Resolves when the page is next idle (between frames, with no input waiting), or after
/// `most_millis` milliseconds whatever happens; at once where the browser has no idle
/// callbacks.
pub async fn idle(most_millis: u32) {
    let promise = js_sys::Promise::new(&mut |resolve, _reject| {
        let options = web_sys::IdleRequestOptions::new();
        options.set_timeout(most_millis);
        if window()
            .request_idle_callback_with_options(resolve.unchecked_ref(), &options)
            .is_err()
        {
            let _ = resolve.call0(&wasm_bindgen::JsValue::UNDEFINED);
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}
