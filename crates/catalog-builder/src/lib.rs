//! Builds Moodplane's catalog from one or several CSVs in the supported formats (tutorial,
//! TidyTuesday, Kaggle 114k, Spotify 1.2M+ Songs, 1921–2020 160k+, 600K+ tracks,
//! Exportify, or any CSV with a track id, valence and energy), validating every row and
//! reporting per file what it skipped. Duplicate ids keep the first, across files too.

pub mod error;
pub mod format;
pub mod report;
pub mod row;

use std::io::Read;

use moodplane_core::{Catalog, CatalogBuilder};

pub use error::BuildError;
pub use format::SourceFormat;
pub use report::BuildReport;
use row::SkipReason;

/// A built catalog and the report of how it was built.
#[derive(Debug)]
pub struct BuildOutput {
    pub catalog: Catalog,
    pub report: BuildReport,
}

/// Builds a catalog from CSV text; `source_name` is recorded in the catalog.
pub fn build_catalog(csv_text: &str, source_name: &str) -> Result<BuildOutput, BuildError> {
    build_catalog_from_reader(csv_text.as_bytes(), source_name)
}

/// Builds a catalog from any reader, streaming its rows.
pub fn build_catalog_from_reader(
    input: impl Read,
    source_name: &str,
) -> Result<BuildOutput, BuildError> {
    let mut catalog = CatalogBuilder::new(String::new());
    let report = read_source(input, &mut catalog)?;
    let (mut catalog, _) = catalog.finish();
    catalog.set_source(format!("{source_name} ({} format)", report.format));
    Ok(BuildOutput { catalog, report })
}

/// A catalog built from several CSVs, and each file's report.
#[derive(Debug)]
pub struct MultiBuildOutput {
    pub catalog: Catalog,
    /// (file name, its report), in the order given.
    pub reports: Vec<(String, BuildReport)>,
}

/// A build that failed on one of several files.
#[derive(Debug)]
pub struct FileError {
    pub file: String,
    pub error: BuildError,
}

impl std::fmt::Display for FileError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.file, self.error)
    }
}

impl std::error::Error for FileError {}

/// Builds one catalog from several CSVs (each in any supported format), in order: a
/// track id seen in an earlier file (or earlier in the same file) is dropped and counted
/// in its file's report.
pub fn build_catalog_from_sources<R: Read>(
    sources: impl IntoIterator<Item = (String, R)>,
) -> Result<MultiBuildOutput, FileError> {
    let mut catalog = CatalogBuilder::new(String::new());
    let mut reports = Vec::new();
    for (file, input) in sources {
        match read_source(input, &mut catalog) {
            Ok(report) => reports.push((file, report)),
            Err(error) => return Err(FileError { file, error }),
        }
    }
    let (mut catalog, _) = catalog.finish();
    catalog.set_source(
        reports
            .iter()
            .map(|(file, report)| format!("{file} ({} format)", report.format))
            .collect::<Vec<_>>()
            .join(" + "),
    );
    Ok(MultiBuildOutput { catalog, reports })
}

/// Reads one CSV into `catalog`; its report counts the ids already added as duplicates.
fn read_source(input: impl Read, catalog: &mut CatalogBuilder) -> Result<BuildReport, BuildError> {
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .has_headers(true)
        .from_reader(input);
    let header: Vec<String> = reader
        .headers()
        .map_err(|e| BuildError::Csv {
            detail: e.to_string(),
        })?
        .iter()
        .enumerate()
        .map(|(i, h)| {
            let h = if i == 0 {
                h.trim_start_matches('\u{feff}')
            } else {
                h
            };
            h.trim().to_owned()
        })
        .collect();
    if header.iter().all(String::is_empty) {
        return Err(BuildError::Empty);
    }
    let (format, columns) = format::detect(&header)?;
    let mut report = BuildReport {
        format: format.name(),
        ..BuildReport::default()
    };
    let mut kept = 0usize;
    let mut bytes = csv::ByteRecord::new();
    loop {
        match reader.read_byte_record(&mut bytes) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => {
                return Err(BuildError::Csv {
                    detail: e.to_string(),
                })
            }
        }
        if bytes.iter().all(|f| f.trim_ascii().is_empty()) {
            continue;
        }
        report.rows += 1;
        let line = bytes.position().map_or(0, |p| p.line());
        // One bad byte costs its row, not the build.
        let Ok(row) = csv::StringRecord::from_byte_record(bytes.clone()) else {
            report.skip(SkipReason::NotUtf8, line);
            continue;
        };
        if row.len() != header.len() {
            report.skip(
                SkipReason::FieldCount {
                    found: row.len(),
                    expected: header.len(),
                },
                line,
            );
            continue;
        }
        match row::read_row(&row, format, &columns) {
            Ok((record, dropped)) => {
                for extra in dropped {
                    report.drop_extra(extra, line);
                }
                if catalog.push(record) {
                    kept += 1;
                } else {
                    report.duplicates += 1;
                }
            }
            Err(reason) => report.skip(reason, line),
        }
    }
    if report.rows == 0 {
        return Err(BuildError::NoRows);
    }
    if kept == 0 && report.duplicates == 0 {
        return Err(BuildError::NothingUsable(report));
    }
    report.tracks = kept;
    Ok(report)
}
