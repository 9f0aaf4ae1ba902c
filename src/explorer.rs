//! The working page once a catalog is loaded: owns the query, the match count, the
//! ranking options and the journey, derives the ranking (a point's matches, or the
//! journey's tracks), and lays out the plane, the controls, the results and the analysis.

use std::sync::Arc;

use leptos::prelude::*;
use moodplane_core::analysis::MoodAnalysis;
use moodplane_core::query::group_thousands;
use moodplane_core::ranker::Ranker;
use moodplane_core::region::Region;
use moodplane_core::view_state::shown_notices;
use moodplane_core::{Catalog, Query};

use crate::analysis_panel::AnalysisPanel;
use crate::audio_file::AudioFileBox;
use crate::blend_bar::BlendBar;
use crate::count_picker::CountPicker;
use crate::crate_panel::{keep_crate_saved, load_crate, CratePanel};
use crate::export_bar::ExportBar;
use crate::find_panel::FindPanel;
use crate::find_results::derive_found;
use crate::find_state::{FindControls, FindMode};
use crate::libraries::Libraries;
use crate::library_panel::LibraryPanel;
use crate::lookup::{Lookup, LookupCard};
use crate::lookup_settings::LookupSettings;
use crate::options_panel::OptionsPanel;
use crate::pager::Pager;
use crate::paste_box::PasteBox;
use crate::pasted_tracks::{PastedList, PastedTracks};
use crate::player::Player;
use crate::plot::{Guides, PlotBase, PlotView};
use crate::presets_bar::PresetsBar;
use crate::query_track::query_track_line;
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

    let find = FindControls::from_link(initial.journey.as_ref(), initial.region.as_ref());
    let initial_query = match (&initial.journey, &initial.region) {
        (Some(j), _) => Query::at(j.path.start()),
        (None, Some(Region::Lasso(lasso))) => Query::at(lasso.centre()),
        _ => initial_query,
    };
    let query = RwSignal::new(initial_query);
    let spotify = expect_context::<SpotifyContext>();
    let consent = RwSignal::new(reccobeats::consent());
    let lookup = Lookup::new(query, spotify, consent);
    let pasted_tracks = PastedTracks::new(consent);
    let pasted_points = Memo::new(move |_| pasted_tracks.placed_queries());
    let pasted_moods =
        Memo::new(move |_| pasted_points.with(|p| p.iter().map(|q| q.mood).collect()));
    let count = RwSignal::new(initial.count);
    let options = RwSignal::new(initial_options);
    let libraries = Libraries::restored(consent);
    let union_catalog = catalog.clone();
    let union = libraries.union(
        Signal::derive(move || union_catalog.clone()),
        features.clone(),
    );
    let listed = libraries.listed(catalog.clone(), ranker, union);
    let ranked_options = libraries.ranked_options(options, union);
    let mine = Memo::new(move |_| union.with(|u| u.as_ref().map(|u| u.0.members.clone())));
    let library_points = libraries.layer_points(union);
    let query_catalog = catalog.clone();
    let listed_query = Memo::new(move |_| listed.with(|l| l.query_of(&query_catalog, query.get())));
    let found = derive_found(listed, find, listed_query, count, ranked_options);
    let matches = found.shown;
    // The result whose player is shown; the export bar's view of the list.
    let selected_track = RwSignal::new(None::<usize>);
    // A selection indexes the listed catalog: another catalog listed, nothing selected.
    Effect::new(move |previous: Option<()>| {
        listed.track();
        if previous.is_some() {
            selected_track.set(None);
        }
    });
    let (saved_crate, crate_notice) = load_crate();
    let crate_list = RwSignal::new(saved_crate);
    keep_crate_saved(crate_list);
    let crate_points = Memo::new(move |_| crate_list.with(|c| c.moods()));
    let view_link = Signal::derive(|| window().location().href().unwrap_or_default());
    let results_empty = Signal::derive(move || found.total.get() == 0);
    url_sync::keep_url_current(
        catalog.clone(),
        query,
        count,
        options,
        found.journey,
        found.region,
    );

    let analysis = Arc::new(MoodAnalysis::of(&catalog));
    let guides = Arc::new(Guides::of(&analysis));
    let show_guides = RwSignal::new(false);

    let track_catalog = catalog.clone();
    let query_track = move || {
        query
            .get()
            .track
            .map(|index| query_track_line(track_catalog.track(index)))
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
                <PlotView base=PlotBase::Tracks(catalog.clone()) query matches guides=guides.clone() show_guides pasted=pasted_points crate_points find shape_layer=found.shape listed library_points />
                <p id="query-text" class="query-text" aria-live="polite">{query_text}</p>
                {query_track}
                <PresetsBar query />
            </section>
            <section class="side-column" aria-label="Find and list matches">
                <PasteBox catalog=catalog.clone() query lookup spotify pasted_tracks />
                <LookupCard lookup />
                <PastedList pasted=pasted_tracks query />
                <BlendBar seeds=pasted_moods query find id_prefix="pasted" />
                <AudioFileBox query lookup />
                <FindPanel catalog=catalog.clone() find />
                // The count applies to the nearest tracks only.
                {move || (find.mode.get() == FindMode::Nearest).then(|| view! { <CountPicker count /> })}
                <h2 id="results-heading">{found.heading}</h2>
                <ResultsList listed mine matches options selected=selected_track crate_list query />
                <Pager total=found.total page=find.page />
                <ExportBar rows=found.rows empty=results_empty of=found.of id_prefix="results" title=found.title />
                <SavePlaylist spotify rows=found.rows empty=results_empty default_name=found.title view_link id_prefix="results" />
                <Player listed selected=selected_track />
                <CratePanel crate_list result_rows=found.shown_rows notice=crate_notice spotify view_link />
                <BlendBar seeds=crate_points query find id_prefix="crate" />
                <LibraryPanel libraries catalog=Signal::derive({ let c = catalog.clone(); move || c.clone() }) union query />
                <OptionsPanel catalog=catalog.clone() features=features.clone() options query />
                <SpotifyPanel spotify />
                <LookupSettings choice=consent />
            </section>
        </div>
        <AnalysisPanel tracks=catalog.len() analysis features guides query show_guides />
        <footer class="catalog-summary" id="catalog-summary">{summary}</footer>
    }
}
