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
