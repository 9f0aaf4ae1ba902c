//! Derives what the list shows from the find mode: the n nearest, every track within a
//! radius, a journey's tracks in path order, or every track inside a region; with the
//! page of a long list, the shape the plane draws, the export rows and the list's title.
//! Each is a memo, recomputed only when what it reads changes.

use leptos::prelude::*;
use moodplane_core::export::{rows_of_matches, rows_of_stops, ExportOf, ExportRow};
use moodplane_core::find::Listing;
use moodplane_core::journey::{Journey, Stop};
use moodplane_core::rank_options::RankOptions;
use moodplane_core::region::Region;
use moodplane_core::{Catalog, Match, Query};

use crate::find_state::{FindControls, FindMode};
use crate::libraries::Listed;
use crate::pager::PAGE_SIZE;
use crate::plot::ShapeLayer;

/// Everything the page derives from the find mode.
#[derive(Clone, Copy)]
pub struct Found {
    /// A complete journey, when one is shown.
    pub journey: Memo<Option<Journey>>,
    /// A complete region (radius or lasso), when one is shown.
    pub region: Memo<Option<Region>>,
    /// The rows on the current page.
    pub shown: Memo<Vec<Match>>,
    pub total: Memo<usize>,
    pub shape: Memo<Option<ShapeLayer>>,
    pub rows: Signal<Vec<ExportRow>>,
    pub shown_rows: Signal<Vec<ExportRow>>,
    pub of: Signal<ExportOf>,
    pub title: Signal<String>,
    pub heading: Signal<String>,
}

/// `listed` is the catalog the list draws from (the loaded one, or the person's
/// libraries) and its ranker; `query` is in its terms (its track one of `listed`'s).
pub fn derive_found(
    listed: Memo<Listed>,
    find: FindControls,
    query: Memo<Query>,
    count: RwSignal<usize>,
    options: Memo<RankOptions>,
) -> Found {
    let journey = find.journey();
    let region = find.region();
    // A journey's tracks, recomputed only when the journey or the options change.
    let stops = Memo::new(move |_| {
        journey.with(|j| {
            j.as_ref().map(|j| {
                listed.with(|l| options.with(|o| l.ranker.journey(&l.catalog, &j.path, j.rule, o)))
            })
        })
    });
    // The whole list (every track of a radius or region: exported whole). Equal results
    // notify no one, so an unchanged list redraws nothing.
    let all = Memo::new(move |_| {
        if let Some(chosen) = stops.with(|s| {
            s.as_ref()
                .map(|s| s.iter().map(|s: &Stop| s.chosen).collect())
        }) {
            return chosen;
        }
        listed.with(|l| {
            let (c, ranker) = (&l.catalog, &l.ranker);
            let q = query.get();
            options.with(|o| match region.get() {
                Some(Region::Radius(r)) => ranker.within_radius(c, q, r, o),
                Some(Region::Lasso(lasso)) => ranker.inside_lasso(c, &lasso, o),
                None => ranker.rank(c, q, count.get(), o),
            })
        })
    });
    let total = Memo::new(move |_| all.with(Vec::len));
    let shown = Memo::new(move |_| {
        all.with(|all| {
            let pages = all.len().div_ceil(PAGE_SIZE).max(1);
            let start = find.page.get().min(pages - 1) * PAGE_SIZE;
            all[start.min(all.len())..(start + PAGE_SIZE).min(all.len())].to_vec()
        })
    });
    let shape = Memo::new(move |_| match find.mode.get() {
        FindMode::Nearest | FindMode::Radius | FindMode::Lasso => {
            listed.with(|l| options.with(|o| find.region_shape(o, &l.ranker.features)))
        }
        FindMode::Journey => {
            let (journey, stops) = (journey.get(), stops.get());
            let planned = journey.as_ref().zip(stops.as_deref());
            Some(listed.with_untracked(|l| {
                ShapeLayer::journey(find.path.get(), planned, |i| l.catalog.moods()[i])
            }))
        }
    });
    // The list's words and names come from the core (find.rs), for the list as it stands.
    let listing = move |read: &dyn Fn(&Listing) -> String| -> String {
        let (journey, region) = (journey.get(), region.get());
        read(&Listing {
            mode: find.mode.get(),
            journey: journey.as_ref(),
            region: region.as_ref(),
            point: query.get().mood,
        })
    };
    let found_at = move || {
        let region = region.get();
        Listing {
            mode: find.mode.get(),
            journey: None,
            region: region.as_ref(),
            point: query.get().mood,
        }
        .found_at()
    };
    // A journey's rows carry their own waypoints (and fit on one page); other lists' rows
    // are found where the listing says.
    let rows_of = move |catalog: &Catalog, list: Memo<Vec<Match>>| {
        stops.with(|s| match s {
            Some(stops) => rows_of_stops(catalog, stops),
            None => list.with(|list| rows_of_matches(catalog, list, found_at())),
        })
    };
    let rows = Signal::derive(move || listed.with(|l| rows_of(&l.catalog, all)));
    let shown_rows = Signal::derive(move || listed.with(|l| rows_of(&l.catalog, shown)));
    let of = Signal::derive(move || {
        let (journey, region) = (journey.get(), region.get());
        Listing {
            mode: find.mode.get(),
            journey: journey.as_ref(),
            region: region.as_ref(),
            point: query.get().mood,
        }
        .export_of()
    });
    let title = Signal::derive(move || listing(&|l| l.title()));
    let heading = Signal::derive(move || {
        let total = total.get();
        listing(&|l| l.heading(total))
    });
    Found {
        journey,
        region,
        shown,
        total,
        shape,
        rows,
        shown_rows,
        of,
        title,
        heading,
    }
}
