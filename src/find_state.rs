//! What the list is asked for: the n nearest tracks, every track within a radius, a
//! journey along a drawn path, or every track inside a drawn region (lasso); with the
//! signals the panel, the plane and the explorer share.

use leptos::prelude::*;
use moodplane_core::journey_path::MAX_VERTICES;
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
