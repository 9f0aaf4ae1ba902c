//! `catalog-builder INPUT.csv --out OUT.json`: the command-line face of the builder.

use std::path::Path;
use std::process::ExitCode;

use moodplane_catalog_builder::{build_catalog_from_reader, BuildError};

const USAGE: &str = "usage: catalog-builder INPUT.csv --out OUTPUT.json [--packed OUTPUT.bin]\n\nReads a music CSV (tutorial, TidyTuesday, Kaggle 114k or Exportify format), reports\nwhat it kept and skipped, and writes Moodplane's catalog JSON (the interchange form)\nand, with --packed, the compact binary form the page loads.";

fn run(input: &str, output: &str, packed: Option<&str>) -> Result<(), BuildError> {
    let io_error = |path: &str| {
        let path = path.to_owned();
        move |e: std::io::Error| BuildError::Io {
            path: path.clone(),
            detail: e.to_string(),
        }
    };
    let file = std::fs::File::open(input).map_err(io_error(input))?;
    let size = file.metadata().map(|m| m.len()).unwrap_or(0);
    // A progress bar on a terminal (hidden when stderr is not one), by bytes read.
    let bar = indicatif::ProgressBar::new(size).with_style(
        indicatif::ProgressStyle::with_template("{bar:40} {bytes}/{total_bytes} {elapsed}")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    let file = bar.wrap_read(file);
    let name = Path::new(input)
        .file_name()
        .map_or_else(|| input.to_owned(), |n| n.to_string_lossy().into_owned());
    let built = build_catalog_from_reader(std::io::BufReader::with_capacity(1 << 20, file), &name);
    bar.finish_and_clear();
    let built = built?;
    eprintln!("{}", built.report);
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
    let mut input = None;
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
            path => input = Some(path.to_owned()),
        }
    }
    let (Some(input), Some(output)) = (input, output) else {
        eprintln!("error: both an input CSV and --out are needed\n\n{USAGE}");
        return ExitCode::from(2);
    };
    match run(&input, &output, packed.as_deref()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {input}: {error}");
            ExitCode::FAILURE
        }
    }
}
