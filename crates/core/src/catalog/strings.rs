//! Interning of repeated strings (artists, genres) into a table of distinct values.

// Fx, not the standard SipHash: a builder interns millions of artists, from files the
// person chose (no adversary to guard against).
use rustc_hash::FxHashMap as HashMap;

/// Interns strings into a table, returning each one's index.
#[derive(Default)]
pub(super) struct StringTable {
    items: Vec<String>,
    index: HashMap<String, u32>,
}

impl StringTable {
    pub(super) fn intern(&mut self, s: &str) -> u32 {
        if let Some(&i) = self.index.get(s) {
            return i;
        }
        let i = self.items.len() as u32;
        self.items.push(s.to_owned());
        self.index.insert(s.to_owned(), i);
        i
    }

    /// The distinct strings, in order of first appearance.
    pub(super) fn into_items(self) -> Vec<String> {
        self.items
    }
}
