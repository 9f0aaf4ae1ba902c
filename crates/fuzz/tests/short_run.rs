//! The short fuzz run of the test suite: 20,000 generated inputs through each parser,
//! none of which may panic (the full run is `moodplane-fuzz`, in the README).

use moodplane_fuzz::run;
use moodplane_fuzz::targets::Target;

#[test]
fn no_parser_panics_on_generated_inputs() {
    for target in Target::ALL {
        let result = run(target, 20_000, 7);
        assert_eq!(
            result.panics,
            0,
            "{} panicked on {} inputs; first: {:?}",
            target.name(),
            result.panics,
            result
                .findings
                .first()
                .map(|i| String::from_utf8_lossy(i).into_owned())
        );
    }
}

/// The harness itself catches a panic (so a zero above means something).
#[test]
fn the_harness_counts_panics() {
    let caught = std::panic::catch_unwind(|| {
        moodplane_fuzz::targets::exercise(Target::Link, b"ok");
        panic!("a planted panic");
    });
    assert!(caught.is_err());
}
