//! `catalog-builder INPUT.csv [MORE.csv …] --out OUT.json`: the command-line face of the
//! builder. Several inputs make one catalog (duplicate ids keep the first).

use std::path::Path;
use std::process::ExitCode;

use moodplane_catalog_builder::{build_catalog_from_sources, BuildError, FileError};

const USAGE: &str = "usage: catalog-builder INPUT.csv [MORE.csv ...] --out OUTPUT.json [--packed OUTPUT.bin]\n\nReads music CSVs (tutorial, TidyTuesday, Kaggle 114k, Spotify 1.2M+ Songs, 1921-2020\n160k+, 600K+ tracks, Exportify, or any CSV with a track id, valence and energy), reports\nper file what it kept and skipped, and writes one Moodplane catalog JSON (the interchange\nform) and, with --packed, the compact binary form the page loads. A track id already\nread (in an earlier file or row) is dropped: the first is kept.";

fn run(inputs: &[String], output: &str, packed: Option<&str>) -> Result<(), FileError> {
    let io_error = |path: &str| {
        let path = path.to_owned();
        move |e: std::io::Error| FileError {
            file: path.clone(),
            error: BuildError::Io {
                path: path.clone(),
                detail: e.to_string(),
            },
        }
    };
    let mut files = Vec::new();
    let mut size = 0;
    for input in inputs {
        let file = std::fs::File::open(input).map_err(io_error(input))?;
        size += file.metadata().map(|m| m.len()).unwrap_or(0);
        files.push((input, file));
    }
    // A progress bar on a terminal (hidden when stderr is not one), by bytes read.
    let bar = indicatif::ProgressBar::new(size).with_style(
        indicatif::ProgressStyle::with_template("{bar:40} {bytes}/{total_bytes} {elapsed}")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    let sources = files.into_iter().map(|(input, file)| {
        let name = Path::new(input)
            .file_name()
            .map_or_else(|| input.to_owned(), |n| n.to_string_lossy().into_owned());
        (
            name,
            std::io::BufReader::with_capacity(1 << 20, bar.wrap_read(file)),
        )
    });
    let built = build_catalog_from_sources(sources);
    bar.finish_and_clear();
    let built = built?;
    for (file, report) in &built.reports {
        if built.reports.len() > 1 {
            eprintln!("== {file}");
        }
        eprintln!("{report}");
    }
    if built.reports.len() > 1 {
        eprintln!(
            "== catalog: {} tracks from {} files",
            built.catalog.len(),
            built.reports.len()
        );
    }
    // Streamed to the file: the JSON text of a million tracks is never held whole.
    let file = std::fs::File::create(output).map_err(io_error(output))?;
    let mut writer = std::io::BufWriter::new(file);
    serde_json::to_writer(&mut writer, &built.catalog.json_view())
        .map_err(|e| io_error(output)(e.into()))?;
    std::io::Write::flush(&mut writer).map_err(io_error(output))?;
    eprintln!("wrote {output}");
    if let Some(packed) = packed {
        std::fs::write(packed, built.catalog.to_packed()).map_err(io_error(packed))?;
        eprintln!("wrote {packed}");
    }
    Ok(())
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.iter().any(|a| a == "--help" || a == "-h") {
        println!("{USAGE}");
        return ExitCode::SUCCESS;
    }
    let mut inputs = Vec::new();
    let mut output = None;
    let mut packed = None;
    let mut rest = args.iter();
    while let Some(arg) = rest.next() {
        match arg.as_str() {
            "--out" | "-o" => output = rest.next().cloned(),
            "--packed" => packed = rest.next().cloned(),
            flag if flag.starts_with('-') => {
                eprintln!("error: unknown option {flag}\n\n{USAGE}");
                return ExitCode::from(2);
            }
            path => inputs.push(path.to_owned()),
        }
    }
    let (false, Some(output)) = (inputs.is_empty(), output) else {
        eprintln!("error: both an input CSV and --out are needed\n\n{USAGE}");
        return ExitCode::from(2);
    };
    match run(&inputs, &output, packed.as_deref()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}
