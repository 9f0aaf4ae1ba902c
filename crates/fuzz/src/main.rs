//! `moodplane-fuzz [--inputs N] [--target link|view|callback|packed|csv|all] [--seed S]`:
//! runs N generated inputs (default 1,000,000) through each parser, prints a table of
//! inputs, seconds and panics, saves panicking inputs under target/fuzz-findings/, and
//! exits non-zero if any input panicked. Build it with `--profile fuzz` (unwinding): under
//! the release profile a panic aborts the process instead of being counted.

use std::process::ExitCode;

use moodplane_fuzz::run;
use moodplane_fuzz::targets::Target;

fn usage() -> ExitCode {
    eprintln!("usage: moodplane-fuzz [--inputs N] [--target link|view|callback|packed|csv|all] [--seed S]");
    ExitCode::from(2)
}

fn main() -> ExitCode {
    let mut inputs = 1_000_000usize;
    let mut seed = 20_261_125u64;
    let mut targets = Target::ALL.to_vec();
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let value = args.next();
        match (arg.as_str(), value) {
            ("--inputs", Some(v)) => match v.replace('_', "").parse() {
                Ok(n) => inputs = n,
                Err(_) => return usage(),
            },
            ("--seed", Some(v)) => match v.parse() {
                Ok(s) => seed = s,
                Err(_) => return usage(),
            },
            ("--target", Some(v)) if v == "all" => targets = Target::ALL.to_vec(),
            ("--target", Some(v)) => match Target::from_name(&v) {
                Some(t) => targets = vec![t],
                None => return usage(),
            },
            _ => return usage(),
        }
    }
    let findings_dir = std::path::Path::new("target").join("fuzz-findings");
    println!(
        "{:<10} {:>12} {:>10} {:>8}",
        "target", "inputs", "seconds", "panics"
    );
    let mut total_panics = 0;
    for target in targets {
        let result = run(target, inputs, seed);
        println!(
            "{:<10} {:>12} {:>10.1} {:>8}",
            target.name(),
            result.inputs,
            result.elapsed.as_secs_f64(),
            result.panics
        );
        total_panics += result.panics;
        for (i, input) in result.findings.iter().enumerate() {
            let _ = std::fs::create_dir_all(&findings_dir);
            let path = findings_dir.join(format!("{}-{i}.bin", target.name()));
            let _ = std::fs::write(&path, input);
            println!(
                "  panicked on {}: {}",
                path.display(),
                String::from_utf8_lossy(input).escape_debug()
            );
        }
    }
    if total_panics == 0 {
        println!("0 panics");
        ExitCode::SUCCESS
    } else {
        println!("{total_panics} panics");
        ExitCode::FAILURE
    }
}
