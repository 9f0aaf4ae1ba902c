//! Checks shared by every way of loading a catalog (JSON and packed): each turns a
//! fault into the [`CatalogError`] that names it.

use super::CatalogError;

/// Checks every string-table index of a column against the table's length.
pub(super) fn check_indices(
    column: &'static str,
    values: Vec<u32>,
    table_len: usize,
) -> Result<Vec<u32>, CatalogError> {
    if let Some((row, &index)) = values
        .iter()
        .enumerate()
        .find(|(_, &i)| i as usize >= table_len)
    {
        return Err(CatalogError::BadStringIndex {
            column,
            row,
            index,
            table_len,
        });
    }
    Ok(values)
}

/// What one extra feature column accepts. The ranges are the builder's: a source value
/// outside them is dropped there, so a catalog holding one is damaged or hand-made.
pub(super) struct ExtraRule {
    pub(super) column: &'static str,
    /// The accepted values, in words, for error messages.
    pub(super) allowed: &'static str,
    accepts: fn(f64) -> bool,
}

/// The rules of the extra columns, in storage order (danceability, acousticness, tempo,
/// popularity). Tempo is capped at 1000 beats per minute, far above any music (the
/// fastest genres stay under 400) yet low enough that a scaled tempo stays meaningful.
pub(super) const EXTRA_RULES: [ExtraRule; 4] = [
    ExtraRule {
        column: "danceability",
        allowed: "a number from 0 to 1",
        accepts: |x| (0.0..=1.0).contains(&x),
    },
    ExtraRule {
        column: "acousticness",
        allowed: "a number from 0 to 1",
        accepts: |x| (0.0..=1.0).contains(&x),
    },
    ExtraRule {
        column: "tempo",
        allowed: "a number above 0 and at most 1000 (beats per minute)",
        accepts: |x| x > 0.0 && x <= 1000.0,
    },
    ExtraRule {
        column: "popularity",
        allowed: "a number from 0 to 100",
        accepts: |x| (0.0..=100.0).contains(&x),
    },
];

/// Checks a present (not missing) value of extra column `column` at track `row`;
/// `id_of` gives the track's id for the error. NaN and infinities fail every range.
pub(super) fn check_extra(
    column: usize,
    row: usize,
    value: f64,
    id_of: impl FnOnce(usize) -> String,
) -> Result<f64, CatalogError> {
    let rule = &EXTRA_RULES[column];
    if (rule.accepts)(value) {
        Ok(value)
    } else {
        Err(CatalogError::BadExtra {
            column: rule.column,
            row,
            id: id_of(row),
            value,
            allowed: rule.allowed,
        })
    }
}
