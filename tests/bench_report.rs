//! `opwire-bench`'s outputs, rendered from a report with fixed figures and
//! path counts (no timing): the plain table and the Markdown table against
//! the snapshots in `tests/snapshots/`. Run with `UPDATE_EXPECTED=1` to
//! rewrite them, and review the diff.

use opwire_bench::{CaseResult, Comparison, Mode, OpCalls, Report};

fn calls(op: &'static str, fast: u64, slow: u64, async_started: u64, eligible: bool) -> OpCalls {
    OpCalls {
        op,
        fast,
        slow,
        async_started,
        fast_eligible: eligible,
    }
}

fn case(name: &str, mode: Mode, ns: (f64, f64), optimized_calls: Vec<OpCalls>) -> CaseResult {
    CaseResult {
        name: name.to_owned(),
        mode,
        optimized_ns: ns.0,
        cold_ns: ns.1,
        cold_calls: Vec::new(),
        optimized_calls,
    }
}

/// Every kind of row: a fast op, an op without a fast path, an eligible op
/// that made no fast call (the warning), an async batch, a case calling two
/// ops, and plain JS (no op calls; a `|` to escape in Markdown).
fn report() -> Report {
    Report::new(
        "snapshot",
        100_000,
        7,
        vec![
            case(
                "op_add",
                Mode::Sync,
                (2.84, 24.8),
                vec![calls("op_add", 700_000, 0, 0, true)],
            ),
            case(
                "op_add_nofast",
                Mode::Sync,
                (19.46, 25.05),
                vec![calls("op_add_nofast", 0, 700_000, 0, false)],
            ),
            case(
                "wide",
                Mode::Sync,
                (31.0, 33.96),
                vec![calls("op_len", 0, 700_000, 0, true)],
            ),
            case(
                "op_tick/batch",
                Mode::AsyncBatch(1000),
                (37.12, 74.9),
                vec![calls("op_tick", 699_993, 7, 700_000, true)],
            ),
            case(
                "both",
                Mode::AsyncSeq,
                (1234.5, 2000.0),
                vec![
                    calls("op_add", 350_000, 350_000, 0, true),
                    calls("op_tick", 0, 700_000, 700_000, false),
                ],
            ),
            case(
                "few",
                Mode::Sync,
                (5.0, 20.0),
                vec![calls("op_add", 1, 999_999, 0, true)],
            ),
            case("js a|b", Mode::Sync, (0.0, 1.04), Vec::new()),
        ],
    )
}

/// Compares `actual` with `tests/snapshots/<file>`, or writes it there under
/// `UPDATE_EXPECTED`.
fn check_snapshot(file: &str, actual: &str) {
    let path = format!("{}/snapshots/{file}", env!("CARGO_MANIFEST_DIR"));
    if std::env::var_os("UPDATE_EXPECTED").is_some() {
        std::fs::write(&path, actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        actual == expected,
        "{file} changed; rerun with UPDATE_EXPECTED=1 and review.\n--- actual ---\n{actual}\n--- expected ---\n{expected}"
    );
}

#[test]
fn the_plain_table_matches_its_snapshot() {
    check_snapshot("bench_report.txt", &report().to_string());
}

#[test]
fn the_markdown_table_matches_its_snapshot() {
    check_snapshot("bench_report.md", &report().markdown().to_string());
}

#[test]
fn the_warnings_come_from_the_path_counts() {
    let report = report();
    // Only `wide` made no fast call with an op that has a fast path: half
    // fast (`both`) is no cause, and neither is an op without one.
    assert_eq!(report.warnings.len(), 1, "{:?}", report.warnings);
    assert!(report.warnings[0].contains("op_len") && report.warnings[0].contains("`wide`"));
    assert!(report.case("wide").unwrap().optimized_calls[0].missed_fast_path());
    assert!(!report.case("both").unwrap().optimized_calls[0].missed_fast_path());
}

#[test]
fn a_comparison_prints_both_figures_and_the_ratio() {
    let cmp = |a_ns: f64, b_ns: f64| Comparison {
        a: "op".into(),
        b: "js".into(),
        a_ns,
        b_ns,
        ratio: a_ns / b_ns,
    };
    assert_eq!(
        cmp(3.0, 1.5).to_string(),
        "op 3.0 ns/call vs js 1.5 ns/call: 2.00x"
    );
    assert_eq!(
        cmp(3.0, 0.0).to_string(),
        "op 3.0 ns/call vs js 0.0 ns/call: no ratio (js is too fast to time)"
    );
}

/// The first code block of `text` that opens with `fence`, without the
/// fences and with `prefix` stripped from each line.
fn first_block(text: &str, fence: &str, prefix: &str) -> String {
    let mut lines = text.lines().map(|l| {
        l.strip_prefix(prefix)
            .or_else(|| l.strip_prefix(prefix.trim_end()))
            .unwrap_or(l)
    });
    lines.by_ref().find(|l| l.trim_end() == fence);
    lines
        .take_while(|l| l.trim_end() != "```")
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn the_readme_shows_the_crate_example_that_runs_as_a_doc_test() {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/..");
    let readme = std::fs::read_to_string(format!("{root}/README.md")).unwrap();
    let section = &readme[readme.find("### Benchmark your own ops").unwrap()..];
    let crate_doc = std::fs::read_to_string(format!("{root}/bench/src/lib.rs")).unwrap();
    let in_readme = first_block(section, "```rust,ignore", "");
    assert!(in_readme.contains("Bench::new"), "{in_readme}");
    assert_eq!(in_readme, first_block(&crate_doc, "```", "//! "));
}
