//! A short pass of the conversion fuzzer (`cargo bench -p opwire-benches
//! --bench fuzz` runs it for millions of executions): every family's
//! outcome matches the oracle of its documented rule.

#[test]
fn conversions_match_their_rules_on_generated_values() {
    let mut rt = opwire_benches::fuzz::fuzz_runtime();
    let mut execs = 0;
    for seed in [1, 7, 42] {
        let report = opwire_benches::fuzz::run(&mut rt, seed, 500);
        assert!(
            report.failures.is_empty(),
            "seed {seed}: {:#?}",
            report.failures
        );
        execs += report.execs;
    }
    // 16 families per generated value.
    assert_eq!(execs, 3 * 500 * 16);
}
