//! Which genres may appear in the results: the include/exclude filter the ranking applies,
//! and the page's three-state genre chips (neutral → included → excluded) that edit it.

/// Which genres may appear in the results (indices into [`crate::Catalog::genres`]).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct GenreFilter {
    /// When not empty, only these genres.
    pub include: Vec<usize>,
    /// Never these genres.
    pub exclude: Vec<usize>,
}

impl GenreFilter {
    pub fn is_empty(&self) -> bool {
        self.include.is_empty() && self.exclude.is_empty()
    }

    /// Where a genre stands in this filter.
    pub fn state_of(&self, genre: usize) -> GenreChoice {
        if self.exclude.contains(&genre) {
            GenreChoice::Excluded
        } else if self.include.contains(&genre) {
            GenreChoice::Included
        } else {
            GenreChoice::Neutral
        }
    }

    /// One click on a genre chip: neutral → included → excluded → neutral.
    pub fn cycle(&mut self, genre: usize) {
        match self.state_of(genre) {
            GenreChoice::Neutral => self.include.push(genre),
            GenreChoice::Included => {
                self.include.retain(|&g| g != genre);
                self.exclude.push(genre);
            }
            GenreChoice::Excluded => self.exclude.retain(|&g| g != genre),
        }
    }

    pub fn allows(&self, genre: usize) -> bool {
        (self.include.is_empty() || self.include.contains(&genre)) && !self.exclude.contains(&genre)
    }
}

/// A genre's place in a [`GenreFilter`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GenreChoice {
    Neutral,
    Included,
    Excluded,
}

impl GenreChoice {
    /// The word used in the page and its tests.
    pub fn as_str(self) -> &'static str {
        match self {
            GenreChoice::Neutral => "none",
            GenreChoice::Included => "include",
            GenreChoice::Excluded => "exclude",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chips_cycle_through_three_states() {
        let mut filter = GenreFilter::default();
        filter.cycle(2);
        assert_eq!(filter.state_of(2), GenreChoice::Included);
        assert!(!filter.allows(1));
        filter.cycle(2);
        assert_eq!(filter.state_of(2), GenreChoice::Excluded);
        assert!(filter.allows(1) && !filter.allows(2));
        filter.cycle(2);
        assert!(filter.is_empty());
    }
}
