//! The analysis under the plane: histograms of valence and energy with their mean, spread
//! and skewness, the least-squares line of energy on valence, and genre centroids (shown
//! on the plane, and listed for keyboard users). Drawn once per catalog from its
//! [`MoodAnalysis`] (computed by the page, or by the builder for a tiled catalog).

use std::sync::Arc;

use leptos::html::Canvas;
use leptos::prelude::*;
use moodplane_core::analysis::{MoodAnalysis, HISTOGRAM_BINS};
use moodplane_core::features::{Feature, FeatureTable};
use moodplane_core::query::group_thousands;
use moodplane_core::stats::Summary;
use moodplane_core::Query;
use plotters::prelude::*;
use plotters_canvas::CanvasBackend;

use crate::plot::Guides;

fn describe(summary: Option<Summary>) -> String {
    summary.map_or_else(String::new, |s| {
        format!(
            "mean {:.3} · standard deviation {:.3} · skewness {:.3}",
            s.mean, s.std_dev, s.skewness
        )
    })
}

/// Draws a histogram (`counts` in equal bins over 0..1) with the mean marked.
fn draw_histogram(
    canvas: &web_sys::HtmlCanvasElement,
    counts: &[u32],
    mean: f64,
    axis: &str,
) -> Option<()> {
    let top = counts.iter().copied().max().unwrap_or(1).max(1) as f64;
    let root = CanvasBackend::with_canvas_object(canvas.clone())?.into_drawing_area();
    root.fill(&WHITE).ok()?;
    let mut chart = ChartBuilder::on(&root)
        .margin(8)
        .x_label_area_size(32)
        .y_label_area_size(44)
        .build_cartesian_2d(0f64..1f64, 0f64..top * 1.08)
        .ok()?;
    chart
        .configure_mesh()
        .disable_x_mesh()
        .x_labels(6)
        .y_labels(4)
        .x_desc(axis)
        .label_style(("sans-serif", 11))
        .axis_desc_style(("sans-serif", 12))
        .y_label_formatter(&|y| format!("{y:.0}"))
        .draw()
        .ok()?;
    let width = 1.0 / HISTOGRAM_BINS as f64;
    chart
        .draw_series(counts.iter().enumerate().map(|(i, &c)| {
            let x = i as f64 * width;
            Rectangle::new(
                [(x, 0.0), (x + width, c as f64)],
                RGBColor(46, 84, 150).mix(0.75).filled(),
            )
        }))
        .ok()?;
    chart
        .draw_series(std::iter::once(PathElement::new(
            vec![(mean, 0.0), (mean, top * 1.05)],
            RGBColor(160, 20, 90).stroke_width(2),
        )))
        .ok()?;
    root.present().ok()
}

#[component]
fn HistogramFigure(
    features: Arc<FeatureTable>,
    counts: Vec<u32>,
    feature: Feature,
    title: &'static str,
) -> impl IntoView {
    let canvas = NodeRef::<Canvas>::new();
    let summary = features.summary(feature);
    let caption = describe(summary);
    let id = format!("hist-{}", feature.key());
    Effect::new(move |_| {
        if let (Some(el), Some(s)) = (canvas.get(), summary) {
            // Drawn when the page is next idle (at most a second on): drawing it at once
            // (plotters: text, axes, bars) lengthened the page's first task, which holds
            // back the first list (1.2M tiled: the task 60–100 ms shorter without it).
            let counts = counts.clone();
            leptos::task::spawn_local(async move {
                crate::timers::idle(1000).await;
                draw_histogram(&el, &counts, s.mean, title);
            });
        }
    });
    view! {
        <figure class="histogram">
            <canvas id=id node_ref=canvas width="360" height="200" role="img"
                aria-label=format!("Histogram of {title}: {caption}")></canvas>
            <figcaption>{format!("{title}: {caption}")}</figcaption>
        </figure>
    }
}

#[component]
pub fn AnalysisPanel(
    tracks: usize,
    analysis: Arc<MoodAnalysis>,
    features: Arc<FeatureTable>,
    guides: Arc<Guides>,
    query: RwSignal<Query>,
    show_guides: RwSignal<bool>,
) -> impl IntoView {
    let fit = guides.regression;
    let centroid_options = guides
        .centroids
        .iter()
        .enumerate()
        .map(|(i, c)| {
            view! {
                <option value=i.to_string()>
                    {format!("{} ({} tracks): {:.3}, {:.3}", c.genre, c.tracks, c.mood.valence, c.mood.energy)}
                </option>
            }
        })
        .collect_view();
    let jump_guides = guides.clone();
    view! {
        <section class="analysis" id="analysis" aria-labelledby="analysis-heading">
            <h2 id="analysis-heading">"The catalog's moods"</h2>
            <div class="histograms">
                <HistogramFigure features=features.clone() counts=analysis.valence_bins.clone() feature=Feature::Valence title="Valence" />
                <HistogramFigure features=features.clone() counts=analysis.energy_bins.clone() feature=Feature::Energy title="Energy" />
            </div>
            <p id="regression-text">
                {format!(
                    "Least-squares line over all {} tracks: energy = {:.3} + {:.3} × valence (r = {:.3}).",
                    group_thousands(tracks), fit.intercept, fit.slope, fit.r
                )}
            </p>
            <label class="option-row">
                <input
                    type="checkbox"
                    id="show-guides"
                    prop:checked=move || show_guides.get()
                    on:change=move |ev| show_guides.set(event_target_checked(&ev))
                />
                " Show the line and each genre's centroid on the plane (click a centroid to move there)"
            </label>
            <div class="option-row">
            <label for="centroid-select">"Jump to a genre's centroid "</label>
            <select
                id="centroid-select"
                on:change=move |ev| {
                    if let Some(c) = event_target_value(&ev).parse::<usize>().ok().and_then(|i| jump_guides.centroids.get(i)) {
                        query.set(Query::at(c.mood));
                    }
                }
            >
                <option value="" selected>"choose a genre…"</option>
                {centroid_options}
            </select>
            </div>
        </section>
    }
}
