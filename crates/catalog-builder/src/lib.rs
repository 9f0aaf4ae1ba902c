//! Builds Moodplane's catalog from one or several CSVs in the supported formats (tutorial,
//! TidyTuesday, Kaggle 114k, Spotify 1.2M+ Songs, 1921–2020 160k+, 600K+ tracks,
//! Exportify, or any CSV with a track id, valence and energy), validating every row and
//! reporting per file what it skipped. Duplicate ids keep the first, across files too.

pub mod error;
pub mod format;
pub mod library;
pub mod report;
pub mod row;
#[cfg(feature = "tiles")]
pub mod tiled;

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
    let mut rows = CsvRows::open(input, format::detect)?;
    let mut kept = 0usize;
    while let Some((row, line)) = rows.next_row()? {
        match row::read_row(&row, rows.format, &rows.columns) {
            Ok((record, dropped)) => {
                for extra in dropped {
                    rows.report.drop_extra(extra, line);
                }
                if catalog.push(record) {
                    kept += 1;
                } else {
                    rows.report.duplicates += 1;
                }
            }
            Err(reason) => rows.report.skip(reason, line),
        }
    }
    let mut report = rows.finish()?;
    if kept == 0 && report.duplicates == 0 {
        return Err(BuildError::NothingUsable(report));
    }
    report.tracks = kept;
    Ok(report)
}

/// A CSV read row by row once its header is checked and its format known: rows that are
/// not UTF-8 or have the wrong number of fields are skipped and counted on the way.
pub(crate) struct CsvRows<R> {
    reader: csv::Reader<std::io::BufReader<R>>,
    /// Lines end in CR LF (judged by the header's line). The csv crate starts a record
    /// after the CR that ended the one before, so its line number is then one short.
    crlf: bool,
    header_len: usize,
    pub(crate) format: SourceFormat,
    pub(crate) columns: format::Columns,
    pub(crate) report: BuildReport,
    bytes: csv::ByteRecord,
}

impl<R: Read> CsvRows<R> {
    /// Reads the header and detects the format with `detect`.
    pub(crate) fn open(
        input: R,
        detect: impl Fn(&[String]) -> Result<(SourceFormat, format::Columns), BuildError>,
    ) -> Result<Self, BuildError> {
        let mut input = std::io::BufReader::new(input);
        let crlf = {
            use std::io::BufRead;
            let head = input.fill_buf().unwrap_or_default();
            head.iter()
                .position(|&b| b == b'\n')
                .is_some_and(|at| at > 0 && head[at - 1] == b'\r')
        };
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
        let (format, columns) = detect(&header)?;
        Ok(CsvRows {
            reader,
            crlf,
            header_len: header.len(),
            format,
            columns,
            report: BuildReport {
                format: format.name(),
                ..BuildReport::default()
            },
            bytes: csv::ByteRecord::new(),
        })
    }

    /// The next data row with its file line number (header = 1), blank rows passed over.
    pub(crate) fn next_row(&mut self) -> Result<Option<(csv::StringRecord, u64)>, BuildError> {
        loop {
            match self.reader.read_byte_record(&mut self.bytes) {
                Ok(true) => {}
                Ok(false) => return Ok(None),
                Err(e) => {
                    return Err(BuildError::Csv {
                        detail: e.to_string(),
                    })
                }
            }
            if self.bytes.iter().all(|f| f.trim_ascii().is_empty()) {
                continue;
            }
            self.report.rows += 1;
            let line = self.bytes.position().map_or(0, |p| p.line()) + u64::from(self.crlf);
            // One bad byte costs its row, not the build.
            let Ok(row) = csv::StringRecord::from_byte_record(self.bytes.clone()) else {
                self.report.skip(SkipReason::NotUtf8, line);
                continue;
            };
            if row.len() != self.header_len {
                self.report.skip(
                    SkipReason::FieldCount {
                        found: row.len(),
                        expected: self.header_len,
                    },
                    line,
                );
                continue;
            }
            return Ok(Some((row, line)));
        }
    }

    /// Bytes of the input read so far.
    pub(crate) fn bytes_read(&self) -> u64 {
        self.reader.position().byte()
    }

    /// The report, or [`BuildError::NoRows`] when the file had no data rows.
    pub(crate) fn finish(self) -> Result<BuildReport, BuildError> {
        if self.report.rows == 0 {
            return Err(BuildError::NoRows);
        }
        Ok(self.report)
    }
}
