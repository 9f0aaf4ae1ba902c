//! Draws the optional guides: the least-squares line of energy on valence and each
//! genre's centroid as a labelled diamond. Redrawn only when switched on or off.

use moodplane_core::{Mood, PlotArea};
use wasm_bindgen::JsCast;
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement};

use super::Guides;

pub fn draw(canvas: &HtmlCanvasElement, area: PlotArea, guides: Option<&Guides>) {
    let Some(ctx) = canvas
        .get_context("2d")
        .ok()
        .flatten()
        .and_then(|c| c.dyn_into::<CanvasRenderingContext2d>().ok())
    else {
        return;
    };
    ctx.clear_rect(0.0, 0.0, canvas.width() as f64, canvas.height() as f64);
    let Some(guides) = guides else { return };

    // The fitted line, clipped to the plane.
    let fit = guides.regression;
    let (x0, y0) = area.to_pixel(Mood::clamped(0.0, fit.intercept));
    let (x1, y1) = area.to_pixel(Mood::clamped(1.0, fit.intercept + fit.slope));
    ctx.set_stroke_style_str("rgba(160, 20, 90, 0.9)");
    ctx.set_line_width(2.5);
    ctx.set_line_dash(&js_sys_array(&[8.0, 5.0])).ok();
    ctx.begin_path();
    ctx.move_to(x0, y0);
    ctx.line_to(x1, y1);
    ctx.stroke();
    ctx.set_line_dash(&js_sys_array(&[])).ok();

    ctx.set_font("10px sans-serif");
    for centroid in &guides.centroids {
        let (x, y) = area.to_pixel(centroid.mood);
        ctx.begin_path();
        ctx.move_to(x, y - 5.0);
        ctx.line_to(x + 5.0, y);
        ctx.line_to(x, y + 5.0);
        ctx.line_to(x - 5.0, y);
        ctx.close_path();
        ctx.set_fill_style_str("rgba(20, 120, 90, 0.95)");
        ctx.fill();
        ctx.set_fill_style_str("rgba(10, 60, 45, 0.9)");
        let _ = ctx.fill_text(&centroid.genre, x + 6.0, y - 4.0);
    }
}

fn js_sys_array(values: &[f64]) -> wasm_bindgen::JsValue {
    let array = js_sys::Array::new();
    for v in values {
        array.push(&wasm_bindgen::JsValue::from_f64(*v));
    }
    array.into()
}
