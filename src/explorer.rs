//! The working page once a catalog is loaded: owns the query, the match count, the
//! ranking options and the journey, derives the ranking (a point's matches, or the
//! journey's tracks), and lays out the plane, the controls, the results and the analysis.

use std::sync::Arc;

use leptos::prelude::*;
use moodplane_core::export::{rows_of_matches, rows_of_stops, ExportOf};
use moodplane_core::journey::{Journey, JourneyRule};
use moodplane_core::journey_path::{MoodPath, DEFAULT_STOPS};
use moodplane_core::query::group_thousands;
use moodplane_core::ranker::Ranker;
use moodplane_core::stats::{genre_centroids, regression};
use moodplane_core::view_state::shown_notices;
use moodplane_core::{Catalog, Query};

use crate::analysis_panel::AnalysisPanel;
use crate::audio_file::AudioFileBox;
use crate::count_picker::CountPicker;
use crate::crate_panel::{keep_crate_saved, load_crate, CratePanel};
use crate::export_bar::ExportBar;
use crate::journey_panel::{JourneyControls, JourneyPanel};
use crate::lookup::{Lookup, LookupCard};
use crate::lookup_settings::LookupSettings;
use crate::options_panel::OptionsPanel;
use crate::paste_box::PasteBox;
use crate::pasted_tracks::{PastedList, PastedTracks};
use crate::player::Player;
use crate::plot::{Guides, JourneyLayer, PlotView};
use crate::presets_bar::PresetsBar;
use crate::reccobeats;
use crate::results_list::ResultsList;
use crate::spotify::login_status::SpotifyContext;
use crate::spotify::panel::SpotifyPanel;
use crate::spotify::save_playlist::SavePlaylist;
use crate::url_sync;

#[component]
pub fn Explorer(catalog: Arc<Catalog>) -> impl IntoView {
    // Built once per catalog, off the drag path: scaled features and the grid index.
    let ranker = Arc::new(Ranker::new(&catalog));
    let features = ranker.features.clone();
    let (initial, url_notices) = url_sync::read_view_state();
    let (initial_query, track_notice) = Query::from_view_state(&catalog, &initial);
    let (initial_options, option_notices) =
        initial.options.to_options(&catalog, |f| features.has(f));
    let notices = shown_notices(
        url_notices
            .iter()
            .map(ToString::to_string)
            .chain(track_notice)
            .chain(option_notices)
            .collect(),
    );

    let journey = JourneyControls {
        active: RwSignal::new(initial.journey.is_some()),
        vertices: RwSignal::new(
            initial
                .journey
                .as_ref()
                .map(|j| j.path.vertices().to_vec())
                .unwrap_or_default(),
        ),
        stops: RwSignal::new(
            initial
                .journey
                .as_ref()
                .map_or(DEFAULT_STOPS, |j| j.rule.stops),
        ),
        artist_gap: RwSignal::new(initial.journey.as_ref().and_then(|j| j.rule.artist_gap)),
        stroke: RwSignal::new(Vec::new()),
    };
    let initial_query = match &initial.journey {
        Some(j) => Query::at(j.path.start()),
        None => initial_query,
    };
    let query = RwSignal::new(initial_query);
    let spotify = expect_context::<SpotifyContext>();
    let consent = RwSignal::new(reccobeats::consent());
    let lookup = Lookup::new(query, spotify, consent);
    let pasted_tracks = PastedTracks::new(consent);
    let pasted_points = Memo::new(move |_| pasted_tracks.placed_queries());
    let count = RwSignal::new(initial.count);
    let options = RwSignal::new(initial_options);
    // The journey being shown: journey mode with a path of at least two points.
    let current_journey = Memo::new(move |_| {
        if !journey.active.get() {
            return None;
        }
        let path = MoodPath::new(journey.vertices.get()).ok()?;
        Some(Journey {
            path,
            rule: JourneyRule {
                stops: journey.stops.get(),
                artist_gap: journey.artist_gap.get(),
            },
        })
    });
    let journey_catalog = catalog.clone();
    let journey_ranker = ranker.clone();
    // The journey's tracks, recomputed only when the journey or the options change.
    let journey_stops = Memo::new(move |_| {
        current_journey.with(|j| {
            j.as_ref().map(|j| {
                options.with(|o| journey_ranker.journey(&journey_catalog, &j.path, j.rule, o))
            })
        })
    });
    let ranked_catalog = catalog.clone();
    // Recomputed only when the query, count or options change (or the journey's tracks,
    // which replace the point's matches); equal results notify no one.
    let matches = Memo::new(move |_| {
        if let Some(stops) = journey_stops.get() {
            return stops.iter().map(|s| s.chosen).collect();
        }
        options.with(|o| ranker.rank(&ranked_catalog, query.get(), count.get(), o))
    });
    let layer_catalog = catalog.clone();
    let journey_layer = Memo::new(move |_| {
        if !journey.active.get() {
            return None;
        }
        let vertices = journey.vertices.get();
        let (waypoints, chosen) = match (current_journey.get(), journey_stops.get()) {
            (Some(j), Some(stops)) => (
                j.path.waypoints(j.rule.stops),
                stops
                    .iter()
                    .map(|s| layer_catalog.moods()[s.chosen.index])
                    .collect(),
            ),
            _ => (Vec::new(), Vec::new()),
        };
        Some(JourneyLayer {
            vertices,
            waypoints,
            chosen,
        })
    });
    // The result whose player is shown; the export bar's view of the list.
    let selected_track = RwSignal::new(None::<usize>);
    let export_catalog = catalog.clone();
    let result_rows = Signal::derive(move || match journey_stops.get() {
        Some(stops) => rows_of_stops(&export_catalog, &stops),
        None => rows_of_matches(&export_catalog, &matches.get(), query.get().mood),
    });
    let (saved_crate, crate_notice) = load_crate();
    let crate_list = RwSignal::new(saved_crate);
    keep_crate_saved(crate_list);
    let crate_points = Memo::new(move |_| crate_list.with(|c| c.moods()));
    let view_link = Signal::derive(|| window().location().href().unwrap_or_default());
    let results_empty = Signal::derive(move || matches.with(Vec::is_empty));
    let results_of = Signal::derive(move || match current_journey.get() {
        Some(j) => ExportOf::Journey {
            from: j.path.start(),
            to: j.path.end(),
        },
        None => ExportOf::Results(query.get().mood),
    });
    let results_title = Signal::derive(move || match current_journey.get() {
        Some(j) => format!(
            "Moodplane journey: valence {:.2}, energy {:.2} to valence {:.2}, energy {:.2}",
            j.path.start().valence,
            j.path.start().energy,
            j.path.end().valence,
            j.path.end().energy
        ),
        None => {
            let mood = query.get().mood;
            format!(
                "Moodplane: valence {:.2}, energy {:.2}",
                mood.valence, mood.energy
            )
        }
    });
    let results_heading = move || match journey_stops.get() {
        Some(stops) => format!(
            "Journey: {} tracks in path order (distance from each waypoint)",
            stops.len()
        ),
        None if journey.active.get() => {
            "Nearest to the cursor (draw a path for a journey)".to_owned()
        }
        None => "Nearest in mood".to_owned(),
    };
    url_sync::keep_url_current(catalog.clone(), query, count, options, current_journey);

    let guides = Arc::new(Guides {
        centroids: genre_centroids(&catalog),
        regression: regression(catalog.moods()),
    });
    let show_guides = RwSignal::new(false);

    let track_catalog = catalog.clone();
    let query_track = move || {
        query.get().track.map(|index| {
            let t = track_catalog.track(index);
            let name = if t.name.is_empty() { "(untitled)".to_owned() } else { t.name.to_owned() };
            view! {
                <p id="query-track" class="query-track">
                    "Query track: " <strong>{name}</strong> " — " {t.artist.to_owned()}
                    <span class="genre">{format!(" · {}", t.genre)}</span>
                    " (not listed among its own matches) "
                    <a href=t.id.open_url() target="_blank" rel="noopener noreferrer">"Open in Spotify"</a>
                </p>
            }
        })
    };
    let query_text = move || {
        let m = query.get().mood;
        format!(
            "Valence {:.3} · Energy {:.3} ({})",
            m.valence,
            m.energy,
            m.quadrant_name()
        )
    };
    let summary = format!(
        "{} tracks by {} artists · {}",
        group_thousands(catalog.len()),
        group_thousands(catalog.artist_count()),
        catalog.source()
    );

    view! {
        {(!notices.is_empty()).then(|| view! {
            <ul id="notices" class="notices" role="status">
                {notices.into_iter().map(|n| view! { <li>{n}</li> }).collect_view()}
            </ul>
        })}
        <div class="explorer">
            <section class="plane-column" aria-label="Mood plane">
                <PlotView catalog=catalog.clone() query matches guides=guides.clone() show_guides pasted=pasted_points crate_points journey journey_layer />
                <p id="query-text" class="query-text" aria-live="polite">{query_text}</p>
                {query_track}
                <PresetsBar query />
            </section>
            <section class="side-column" aria-label="Find and list matches">
                <PasteBox catalog=catalog.clone() query lookup spotify pasted_tracks />
                <LookupCard lookup />
                <PastedList pasted=pasted_tracks query />
                <AudioFileBox query lookup />
                <JourneyPanel catalog=catalog.clone() journey />
                <CountPicker count />
                <h2 id="results-heading">{results_heading}</h2>
                <ResultsList catalog=catalog.clone() features=features.clone() matches options selected=selected_track crate_list query />
                <ExportBar rows=result_rows empty=results_empty of=results_of id_prefix="results" title=results_title />
                <SavePlaylist spotify rows=result_rows empty=results_empty default_name=results_title view_link id_prefix="results" />
                <Player catalog=catalog.clone() selected=selected_track />
                <CratePanel crate_list result_rows notice=crate_notice spotify view_link />
                <OptionsPanel catalog=catalog.clone() features=features.clone() options query />
                <SpotifyPanel spotify />
                <LookupSettings choice=consent />
            </section>
        </div>
        <AnalysisPanel catalog=catalog.clone() features guides query show_guides />
        <footer class="catalog-summary" id="catalog-summary">{summary}</footer>
    }
}
