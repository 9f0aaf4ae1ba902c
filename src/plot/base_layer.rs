//! Draws the static layer of the plane with plotters: quadrants named after Russell's
//! model, axes with ticks and labels, and every catalog track as a faint dot.

use moodplane_core::{Catalog, Mood, PlotArea};
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters_canvas::CanvasBackend;
use web_sys::HtmlCanvasElement;

use super::CANVAS_SIZE;

const DOT: RGBAColor = RGBAColor(46, 84, 150, 0.35);
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

/// Draws the base layer; `area` must match the chart's margins below.
pub fn draw(canvas: &HtmlCanvasElement, catalog: &Catalog, area: PlotArea) -> Result<(), String> {
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

    chart
        .draw_series(
            catalog
                .moods()
                .iter()
                .map(|m| Circle::new((m.valence, m.energy), 2, DOT.filled())),
        )
        .map_err(failed("tracks"))?;

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
