//! Compile errors of `#[op]`: one `ui/*.rs` per message, checked against
//! `ui/*.stderr` (regenerate with `TRYBUILD=overwrite` and review).

#[test]
fn macro_errors() {
    let t = trybuild::TestCases::new();
    t.compile_fail("ui/*.rs");
}
