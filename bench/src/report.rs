//! What a bench measured, as plain data: figures and path counts. How it is
//! printed lives in `render.rs`, so a report built by hand (with fixed
//! figures) renders exactly like a measured one.

use crate::{Mode, OpCalls};

/// The figures of one case.
#[derive(Debug, Clone, PartialEq)]
pub struct CaseResult {
    /// The case's name.
    pub name: String,
    /// How it was called.
    pub mode: Mode,
    /// Nanoseconds per call in a loop V8 never optimizes, baseline
    /// subtracted (median of the samples).
    pub cold_ns: f64,
    /// Nanoseconds per call in the optimized loop, baseline subtracted.
    pub optimized_ns: f64,
    /// The ops the cold timed loops called, by path.
    pub cold_calls: Vec<OpCalls>,
    /// The ops the optimized timed loops called, by path.
    pub optimized_calls: Vec<OpCalls>,
}

/// What [`Bench::run`](crate::Bench::run) measured. `Display` prints a
/// plain table, one row per case, then the warnings; [`Report::markdown`]
/// prints the same as a Markdown table.
#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    /// The bench's name.
    pub bench: String,
    /// Calls per timed loop.
    pub iterations: u64,
    /// Timed loops per figure.
    pub samples: usize,
    /// One per case, in the order added.
    pub cases: Vec<CaseResult>,
    /// One line per op that has a fast path but made no fast calls in an
    /// optimized run ([`OpCalls::warning`]).
    pub warnings: Vec<String>,
}

impl Report {
    /// A report of `cases`, with the warnings their optimized path counts
    /// call for.
    pub fn new(
        bench: impl Into<String>,
        iterations: u64,
        samples: usize,
        cases: Vec<CaseResult>,
    ) -> Self {
        let warnings = cases
            .iter()
            .flat_map(|c| c.optimized_calls.iter().filter_map(|o| o.warning(&c.name)))
            .collect();
        Self {
            bench: bench.into(),
            iterations,
            samples,
            cases,
            warnings,
        }
    }

    /// The case called `name`.
    pub fn case(&self, name: &str) -> Option<&CaseResult> {
        self.cases.iter().find(|c| c.name == name)
    }
}

/// What [`Bench::compare`](crate::Bench::compare) measured.
#[derive(Debug, Clone, PartialEq)]
pub struct Comparison {
    /// The first case's name.
    pub a: String,
    /// The second case's name.
    pub b: String,
    /// Nanoseconds per call of `a`, optimized, baseline subtracted.
    pub a_ns: f64,
    /// Nanoseconds per call of `b`.
    pub b_ns: f64,
    /// `a_ns / b_ns` (NaN when `b_ns` is 0).
    pub ratio: f64,
}
