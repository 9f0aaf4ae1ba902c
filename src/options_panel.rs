//! Controls for how matches are chosen: z-scores, extra feature weights and targets,
//! popularity re-rank, artist diversity and genre chips. Each control edits one field of
//! the shared [`RankOptions`]; the ranking itself lives in the core.

use std::sync::Arc;

use leptos::prelude::*;
use moodplane_core::features::{Feature, FeatureTable};
use moodplane_core::rank_options::RankOptions;
use moodplane_core::{Catalog, Query};

fn label_of(feature: Feature) -> &'static str {
    match feature {
        Feature::Valence => "Valence",
        Feature::Energy => "Energy",
        Feature::Danceability => "Danceability",
        Feature::Acousticness => "Acousticness",
        Feature::Tempo => "Tempo",
        Feature::Popularity => "Popularity",
    }
}

/// Parses an optional whole number from a field: empty is `Ok(None)`.
fn optional_count(text: &str, max: usize) -> Result<Option<usize>, String> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    match text.parse::<usize>() {
        Ok(n) if (1..=max).contains(&n) => Ok(Some(n)),
        _ => Err(format!(
            "“{text}” is not a whole number from 1 to {max}; the setting is unchanged."
        )),
    }
}

#[component]
fn FeatureRow(
    feature: Feature,
    features: Arc<FeatureTable>,
    options: RwSignal<RankOptions>,
    /// Whether the query is a track, whose own values are the targets.
    from_track: Memo<bool>,
) -> impl IntoView {
    let key = feature.key();
    let weight = move || options.with(|o| o.weights[feature]);
    let target_text = move || {
        let t = options.with(|o| o.targets[feature]);
        match feature {
            Feature::Tempo => features
                .tempo_bpm(t)
                .map_or_else(|| format!("{t:.2}"), |bpm| format!("{bpm:.0} BPM")),
            Feature::Popularity => format!("{:.0}", t * 100.0),
            _ => format!("{t:.2}"),
        }
    };
    let from_track = move || from_track.get();
    view! {
        <div class="feature-row">
            <label for=format!("weight-{key}")>{label_of(feature)}" weight"</label>
            <input
                type="range"
                id=format!("weight-{key}")
                min="0"
                max="2"
                step="0.1"
                prop:value=move || weight().to_string()
                on:input=move |ev| {
                    if let Ok(w) = event_target_value(&ev).parse::<f64>() {
                        options.update(|o| o.weights[feature] = w);
                    }
                }
            />
            <output for=format!("weight-{key}")>{move || format!("{:.1}", weight())}</output>
            <label for=format!("target-{key}")>"wanted"</label>
            <input
                type="range"
                id=format!("target-{key}")
                min="0"
                max="1"
                step="0.05"
                prop:disabled=move || weight() == 0.0 || from_track()
                title=move || if from_track() { "The query track's own value is used" } else { "" }
                prop:value=move || options.with(|o| o.targets[feature]).to_string()
                on:input=move |ev| {
                    if let Ok(t) = event_target_value(&ev).parse::<f64>() {
                        options.update(|o| o.targets[feature] = t);
                    }
                }
            />
            <output for=format!("target-{key}")>
                {move || if from_track() { "track's".to_owned() } else { target_text() }}
            </output>
        </div>
    }
}

#[component]
pub fn OptionsPanel(
    catalog: Arc<Catalog>,
    features: Arc<FeatureTable>,
    options: RwSignal<RankOptions>,
    query: RwSignal<Query>,
    /// Tracks per genre, when `catalog` does not hold the tracks (a tiled catalog's
    /// manifest says them).
    #[prop(optional)]
    genre_counts: Option<Vec<usize>>,
) -> impl IntoView {
    // Changes only when a track is pasted or left, not with every move of the point.
    let from_track = Memo::new(move |_| query.with(|q| q.track.is_some()));
    let has_popularity = features.has(Feature::Popularity);
    let extras: Vec<Feature> = Feature::EXTRAS
        .into_iter()
        .filter(|f| features.has(*f))
        .collect();
    let artist_message = RwSignal::new(None::<String>);
    let rerank_message = RwSignal::new(None::<String>);
    let counts = genre_counts.unwrap_or_else(|| catalog.genre_counts());
    let mut genre_order: Vec<usize> = (0..catalog.genres().len()).collect();
    genre_order.sort_by(|&a, &b| counts[b].cmp(&counts[a]).then(a.cmp(&b)));

    let extra_rows = if extras.is_empty() {
        view! {
            <p class="hint" id="no-extra-features">
                "This catalog has only valence and energy; catalogs with danceability, acousticness, tempo or popularity offer weights for them here."
            </p>
        }
        .into_any()
    } else {
        extras
            .into_iter()
            .map(
                |f| view! { <FeatureRow feature=f features=features.clone() options from_track /> },
            )
            .collect_view()
            .into_any()
    };

    let rerank = has_popularity.then(|| {
        view! {
            <div class="option-row">
                <label>
                    <input
                        type="checkbox"
                        id="opt-rerank"
                        prop:checked=move || options.with(|o| o.popularity_rerank.is_some())
                        on:change=move |ev| {
                            let on = event_target_checked(&ev);
                            options.update(|o| o.popularity_rerank = on.then_some(o.popularity_rerank.unwrap_or(10)));
                        }
                    />
                    " Re-rank the nearest by popularity: take the "
                </label>
                <input
                    type="number"
                    id="opt-rerank-k"
                    class="small-number"
                    min="1"
                    max="500"
                    aria-label="How many nearest tracks to re-rank by popularity"
                    prop:value=move || options.with(|o| o.popularity_rerank.unwrap_or(10)).to_string()
                    on:input=move |ev| match optional_count(&event_target_value(&ev), 500) {
                        Ok(k) => {
                            rerank_message.set(None);
                            if let Some(k) = k {
                                options.update(|o| o.popularity_rerank = Some(k));
                            }
                        }
                        Err(e) => rerank_message.set(Some(e)),
                    }
                />
                " nearest, most popular first"
                <p class="field-message" role="alert">{move || rerank_message.get()}</p>
            </div>
        }
    });

    let chips = genre_order
        .into_iter()
        .map(|g| {
            let name = catalog.genres()[g].clone();
            let label = if name.is_empty() {
                "(no genre)".to_owned()
            } else {
                name.clone()
            };
            let state = move || options.with(|o| o.genres.state_of(g));
            view! {
                <button
                    type="button"
                    class="chip"
                    data-genre=name
                    data-state=move || state().as_str()
                    aria-pressed=move || (state().as_str() != "none").to_string()
                    on:click=move |_| options.update(|o| o.genres.cycle(g))
                >
                    {label}
                    <span class="chip-count">{counts[g]}</span>
                    // aria-pressed is true for both kept and left-out genres: say which.
                    <span class="visually-hidden">
                        {move || match state().as_str() {
                            "include" => ", kept",
                            "exclude" => ", left out",
                            _ => "",
                        }}
                    </span>
                </button>
            }
        })
        .collect_view();

    view! {
        <details class="options" id="ranking-options" open>
            <summary>"How matches are chosen"</summary>
            <div class="option-row">
                <label>
                    <input
                        type="checkbox"
                        id="opt-zscore"
                        prop:checked=move || options.with(|o| o.z_score)
                        on:change=move |ev| {
                            let on = event_target_checked(&ev);
                            options.update(|o| o.z_score = on);
                        }
                    />
                    " Z-score the features (distance in standard deviations, so a skewed axis does not dominate)"
                </label>
            </div>
            {extra_rows}
            {rerank}
            <div class="option-row">
                <label for="opt-max-artist">"At most this many tracks per artist "</label>
                <input
                    type="number"
                    id="opt-max-artist"
                    class="small-number"
                    min="1"
                    max="50"
                    placeholder="any"
                    prop:value=move || options.with(|o| o.max_per_artist.map(|m| m.to_string()).unwrap_or_default())
                    on:input=move |ev| match optional_count(&event_target_value(&ev), 50) {
                        Ok(m) => {
                            artist_message.set(None);
                            options.update(|o| o.max_per_artist = m);
                        }
                        Err(e) => artist_message.set(Some(e)),
                    }
                />
                <p class="field-message" role="alert">{move || artist_message.get()}</p>
            </div>
            <fieldset class="genres" id="genre-filter">
                <legend>"Genres: click once to keep only chosen genres, again to leave one out"</legend>
                <button
                    type="button"
                    class="clear-genres"
                    on:click=move |_| options.update(|o| o.genres = Default::default())
                >
                    "Clear genre filters"
                </button>
                <div class="chips">{chips}</div>
            </fieldset>
        </details>
    }
}
