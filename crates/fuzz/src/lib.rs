//! Structure-aware fuzzing of Moodplane's five parsers (pasted links, shared-link view
//! state, OAuth callbacks, the packed catalog decoder and the CSV catalog builder): run
//! many generated inputs through each, catching and counting panics, and keep the first
//! few panicking inputs to reproduce them.

pub mod mutate;
pub mod seeded;
pub mod targets;

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::time::{Duration, Instant};

use seeded::Seeded;
use targets::{exercise, Generator, Target};

/// Panicking inputs kept per target.
pub const FINDINGS_KEPT: usize = 5;

/// What a run of one target found.
#[derive(Debug)]
pub struct TargetRun {
    pub target: Target,
    pub inputs: usize,
    pub panics: usize,
    pub elapsed: Duration,
    /// The first panicking inputs.
    pub findings: Vec<Vec<u8>>,
}

/// Runs `inputs` generated inputs through `target`, from `seed`.
pub fn run(target: Target, inputs: usize, seed: u64) -> TargetRun {
    let mut rng = Seeded::new(seed ^ (target as u64).wrapping_mul(0x9E37_79B9));
    let generator = Generator::new(&mut rng);
    let previous_hook = std::panic::take_hook();
    // Panics are counted, not printed: a silent hook for the run.
    std::panic::set_hook(Box::new(|_| {}));
    let started = Instant::now();
    let mut panics = 0;
    let mut findings = Vec::new();
    for _ in 0..inputs {
        let input = generator.input(target, &mut rng);
        if catch_unwind(AssertUnwindSafe(|| exercise(target, &input))).is_err() {
            panics += 1;
            if findings.len() < FINDINGS_KEPT {
                findings.push(input);
            }
        }
    }
    let elapsed = started.elapsed();
    std::panic::set_hook(previous_hook);
    TargetRun {
        target,
        inputs,
        panics,
        elapsed,
        findings,
    }
}
