//! What the list is asked for: the n nearest tracks, every track within a radius, a
//! journey along a drawn path, or every track inside a drawn region (lasso); with the
//! signals the panel, the plane and the explorer share.

use leptos::prelude::*;
use moodplane_core::features::FeatureTable;
use moodplane_core::journey::{Journey, JourneyRule};
use moodplane_core::journey_path::{MoodPath, DEFAULT_STOPS, MAX_VERTICES};
use moodplane_core::rank_options::RankOptions;
use moodplane_core::region::{radius_shape, Lasso, Region, DEFAULT_RADIUS};

use crate::plot::ShapeLayer;
use moodplane_core::Mood;

pub use moodplane_core::find::FindMode;

/// The shared state of the find modes.
#[derive(Clone, Copy)]
pub struct FindControls {
    pub mode: RwSignal<FindMode>,
    /// The journey's path vertices (a path needs two; the plane adds them).
    pub path: RwSignal<Vec<Mood>>,
    pub stops: RwSignal<usize>,
    pub artist_gap: RwSignal<Option<usize>>,
    /// The lasso's vertices (a region needs three).
    pub lasso: RwSignal<Vec<Mood>>,
    pub radius: RwSignal<f64>,
    /// A freehand stroke while it is being drawn (raw pointer positions).
    pub stroke: RwSignal<Vec<Mood>>,
    /// The page of a long list (radius, lasso) being shown, from 0.
    pub page: RwSignal<usize>,
}

impl FindControls {
    /// The controls a shared link opens with: its journey or its region, else the
    /// nearest tracks.
    pub fn from_link(journey: Option<&Journey>, region: Option<&Region>) -> FindControls {
        FindControls {
            mode: RwSignal::new(match (journey, region) {
                (Some(_), _) => FindMode::Journey,
                (None, Some(Region::Lasso(_))) => FindMode::Lasso,
                (None, Some(Region::Radius(_))) => FindMode::Radius,
                (None, None) => FindMode::Nearest,
            }),
            path: RwSignal::new(
                journey
                    .map(|j| j.path.vertices().to_vec())
                    .unwrap_or_default(),
            ),
            stops: RwSignal::new(journey.map_or(DEFAULT_STOPS, |j| j.rule.stops)),
            artist_gap: RwSignal::new(journey.and_then(|j| j.rule.artist_gap)),
            lasso: RwSignal::new(match region {
                Some(Region::Lasso(lasso)) => lasso.vertices().to_vec(),
                _ => Vec::new(),
            }),
            radius: RwSignal::new(match region {
                Some(Region::Radius(r)) => *r,
                _ => DEFAULT_RADIUS,
            }),
            stroke: RwSignal::new(Vec::new()),
            page: RwSignal::new(0),
        }
    }

    /// The complete journey asked for, while the journey mode is on and its path has
    /// two points.
    pub fn journey(&self) -> Memo<Option<Journey>> {
        let find = *self;
        Memo::new(move |_| {
            (find.mode.get() == FindMode::Journey).then_some(())?;
            Some(Journey {
                path: MoodPath::new(find.path.get()).ok()?,
                rule: JourneyRule {
                    stops: find.stops.get(),
                    artist_gap: find.artist_gap.get(),
                },
            })
        })
    }

    /// The complete region asked for: the radius, or a lasso once it has three points.
    pub fn region(&self) -> Memo<Option<Region>> {
        let find = *self;
        Memo::new(move |_| match find.mode.get() {
            FindMode::Radius => Some(Region::Radius(find.radius.get())),
            FindMode::Lasso => Lasso::new(find.lasso.get()).ok().map(Region::Lasso),
            FindMode::Nearest | FindMode::Journey => None,
        })
    }

    /// The radius's ellipse or the lasso's outline on the plane (nothing in the other
    /// modes), the radius measured under `options` with `features`' spreads.
    pub fn region_shape(
        &self,
        options: &RankOptions,
        features: &FeatureTable,
    ) -> Option<ShapeLayer> {
        match self.mode.get() {
            FindMode::Radius => Some(ShapeLayer {
                ellipse: radius_shape(options, features, self.radius.get()),
                ..ShapeLayer::default()
            }),
            FindMode::Lasso => Some(ShapeLayer {
                vertices: self.lasso.get(),
                closed: true,
                ..ShapeLayer::default()
            }),
            FindMode::Nearest | FindMode::Journey => None,
        }
    }

    /// Whether the plane draws (journey or lasso) rather than moves the point.
    pub fn draws(&self) -> bool {
        matches!(
            self.mode.get_untracked(),
            FindMode::Journey | FindMode::Lasso
        )
    }

    /// The vertex list the plane is drawing into.
    pub fn drawn(&self) -> RwSignal<Vec<Mood>> {
        match self.mode.get_untracked() {
            FindMode::Lasso => self.lasso,
            _ => self.path,
        }
    }

    /// Adds a vertex at the end of what is being drawn, unless it is full.
    pub fn add_vertex(&self, mood: Mood) {
        self.drawn().update(|v| {
            if v.len() < MAX_VERTICES {
                v.push(mood.rounded());
            }
        });
    }
}
