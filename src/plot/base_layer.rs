//! Draws the static layer of the plane with plotters: quadrants named after Russell's
//! model, axes with ticks and labels, and every catalog track as a faint dot (or, for
//! big catalogs, as a density image computed in wasm, or drawn from the density grid a
//! tiled catalog's manifest carries).

use leptos::prelude::document;
use moodplane_core::density::{count_per_pixel, shade};
use moodplane_core::{Mood, PlotArea};
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters_canvas::CanvasBackend;
use wasm_bindgen::{Clamped, JsCast};
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement, ImageData};

use super::{PlotBase, CANVAS_SIZE};

const DOT: RGBAColor = RGBAColor(46, 84, 150, 0.35);
/// Above this many tracks the catalog is drawn as a density image, not dot by dot.
pub const DOT_LIMIT: usize = 40_000;
const QUADRANT_LABEL: RGBColor = RGBColor(110, 110, 125);

/// (label, anchor valence, anchor energy, tint) for the four quadrants.
const QUADRANTS: [(&str, f64, f64, RGBAColor); 4] = [
    ("happy / excited", 0.75, 0.965, RGBAColor(255, 196, 0, 0.08)),
    ("tense / angry", 0.25, 0.965, RGBAColor(220, 40, 40, 0.07)),
    ("sad / depressed", 0.25, 0.035, RGBAColor(40, 80, 200, 0.07)),
    ("calm / relaxed", 0.75, 0.035, RGBAColor(30, 160, 90, 0.07)),
];

fn failed(
    what: &str,
) -> impl Fn(DrawingAreaErrorKind<<CanvasBackend as DrawingBackend>::ErrorType>) -> String + '_ {
    move |e| format!("The plane could not be drawn ({what}: {e:?}).")
}

/// Shades the plot area by how many tracks fall on each pixel (computed in wasm), then
/// blends it over the grid through a scratch canvas (putImageData alone would not blend).
/// `counts` is a `width × height` grid over the unit square (row 0 at energy 1), stretched
/// over the plot area.
fn draw_density(
    canvas: &HtmlCanvasElement,
    counts: &[u32],
    (width, height): (usize, usize),
    area: PlotArea,
) -> Result<(), String> {
    let fail = |what: &str| format!("The plane could not be drawn ({what}).");
    let rgba = shade(counts, [46, 84, 150]);
    let image =
        ImageData::new_with_u8_clamped_array_and_sh(Clamped(&rgba), width as u32, height as u32)
            .map_err(|_| fail("density image"))?;
    let scratch: HtmlCanvasElement = document()
        .create_element("canvas")
        .ok()
        .and_then(|e| e.dyn_into().ok())
        .ok_or_else(|| fail("scratch canvas"))?;
    scratch.set_width(width as u32);
    scratch.set_height(height as u32);
    let context_of = |c: &HtmlCanvasElement| {
        c.get_context("2d")
            .ok()
            .flatten()
            .and_then(|x| x.dyn_into::<CanvasRenderingContext2d>().ok())
    };
    let scratch_ctx = context_of(&scratch).ok_or_else(|| fail("scratch context"))?;
    scratch_ctx
        .put_image_data(&image, 0.0, 0.0)
        .map_err(|_| fail("density pixels"))?;
    context_of(canvas)
        .ok_or_else(|| fail("context"))?
        .draw_image_with_html_canvas_element_and_dw_and_dh(
            &scratch,
            area.left,
            area.top,
            area.width,
            area.height,
        )
        .map_err(|_| fail("density blend"))
}

/// Draws the base layer; `area` must match the chart's margins below.
pub fn draw(canvas: &HtmlCanvasElement, base: &PlotBase, area: PlotArea) -> Result<(), String> {
    let backend = CanvasBackend::with_canvas_object(canvas.clone()).ok_or_else(|| {
        "The plane could not be drawn: this browser gave no 2D canvas.".to_owned()
    })?;
    let root = backend.into_drawing_area();
    root.fill(&WHITE).map_err(failed("background"))?;
    let size = CANVAS_SIZE as f64;
    let mut chart = ChartBuilder::on(&root)
        .margin_top(area.top as u32)
        .margin_right((size - area.left - area.width) as u32)
        .x_label_area_size((size - area.top - area.height) as u32)
        .y_label_area_size(area.left as u32)
        .build_cartesian_2d(0f64..1f64, 0f64..1f64)
        .map_err(failed("axes"))?;

    for (_, v, e, tint) in QUADRANTS {
        let x0 = if v < 0.5 { 0.0 } else { 0.5 };
        let y0 = if e < 0.5 { 0.0 } else { 0.5 };
        chart
            .draw_series(std::iter::once(Rectangle::new(
                [(x0, y0), (x0 + 0.5, y0 + 0.5)],
                tint.filled(),
            )))
            .map_err(failed("quadrants"))?;
    }

    chart
        .configure_mesh()
        .x_labels(11)
        .y_labels(11)
        .x_desc("Valence: sad → happy")
        .y_desc("Energy: calm → excited")
        .axis_desc_style(("sans-serif", 16))
        .label_style(("sans-serif", 13))
        .light_line_style(RGBAColor(0, 0, 0, 0.04))
        .bold_line_style(RGBAColor(0, 0, 0, 0.10))
        .x_label_formatter(&|x| format!("{x:.1}"))
        .y_label_formatter(&|y| format!("{y:.1}"))
        .draw()
        .map_err(failed("grid"))?;

    match base {
        PlotBase::Tracks(catalog) if catalog.len() <= DOT_LIMIT => {
            chart
                .draw_series(
                    catalog
                        .moods()
                        .iter()
                        .map(|m| Circle::new((m.valence, m.energy), 2, DOT.filled())),
                )
                .map_err(failed("tracks"))?;
        }
        PlotBase::Tracks(catalog) => {
            root.present().map_err(failed("grid"))?;
            let (width, height) = (area.width as usize, area.height as usize);
            let counts = count_per_pixel(catalog.moods(), width, height);
            draw_density(canvas, &counts, (width, height), area)?;
        }
        PlotBase::Density { size, counts } => {
            root.present().map_err(failed("grid"))?;
            draw_density(canvas, counts, (*size, *size), area)?;
        }
    }

    // Quadrant names on a pale card, so dense regions do not swallow them.
    let label_style = TextStyle::from(("sans-serif", 15).into_font()).color(&QUADRANT_LABEL);
    for (label, v, e, _) in QUADRANTS {
        let (x, y) = area.to_pixel(Mood {
            valence: v,
            energy: e,
        });
        let half_width = (label.chars().count() as f64 * 4.2 + 8.0) as i32;
        let (x, y) = (x as i32, y as i32);
        root.draw(&Rectangle::new(
            [(x - half_width, y - 11), (x + half_width, y + 11)],
            RGBAColor(255, 255, 255, 0.85).filled(),
        ))
        .map_err(failed("labels"))?;
        root.draw(&Text::new(
            label,
            (x, y),
            label_style.pos(Pos::new(HPos::Center, VPos::Center)),
        ))
        .map_err(failed("labels"))?;
    }
    root.present().map_err(failed("present"))?;
    Ok(())
}
