//! How reports print: the plain table (`Display` of [`Report`]) and Markdown
//! ([`Markdown`]). Pure functions of the data in `report.rs`.

use std::fmt;

use crate::{CaseResult, Comparison, OpCalls, Report};

/// The sentence above both tables.
fn how_measured(r: &Report) -> String {
    format!(
        "{}: {} calls per loop, median of {}, empty loop subtracted",
        r.bench, r.iterations, r.samples
    )
}

/// The paths cell of a row: the optimized run's calls, by op.
fn paths(c: &CaseResult) -> String {
    if c.optimized_calls.is_empty() {
        "no op calls".to_owned()
    } else {
        c.optimized_calls
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// The fast share in whole percent, rounded, but never 0 % or 100 % unless
/// it is exactly that: 7 slow calls in 700,000 read 99 %, not 100 %.
fn fast_percent(c: &OpCalls) -> u64 {
    let total = c.fast + c.slow;
    if total == 0 {
        return 0;
    }
    let rounded = (c.fast * 100 + total / 2) / total;
    if c.fast > 0 && c.fast < total {
        rounded.clamp(1, 99)
    } else {
        rounded
    }
}

impl fmt::Display for OpCalls {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} fast {}%", self.op, fast_percent(self))?;
        if self.async_started > 0 {
            write!(f, " async {}", self.async_started)?;
        }
        if !self.fast_eligible {
            f.write_str(" (no fast path)")?;
        }
        Ok(())
    }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "{}", how_measured(self))?;
        let width = self
            .cases
            .iter()
            .map(|c| c.name.len())
            .max()
            .unwrap_or(4)
            .max(4);
        writeln!(
            f,
            "{:<width$}  {:<8}  {:>14}  {:>14}  paths (optimized)",
            "case", "mode", "optimized", "cold"
        )?;
        for c in &self.cases {
            writeln!(
                f,
                "{:<width$}  {:<8}  {:>6.1} ns/call  {:>6.1} ns/call  {}",
                c.name,
                c.mode.to_string(),
                c.optimized_ns,
                c.cold_ns,
                paths(c)
            )?;
        }
        for w in &self.warnings {
            writeln!(f, "{w}")?;
        }
        Ok(())
    }
}

impl Report {
    /// The report as Markdown (`Display`): a sentence saying how it was
    /// measured, a table, and the warnings as a list.
    ///
    /// ```
    /// let report = opwire_bench::Report::new("empty", 1_000, 3, Vec::new());
    /// assert!(report.markdown().to_string().contains("| case | mode |"));
    /// ```
    pub fn markdown(&self) -> Markdown<'_> {
        Markdown(self)
    }
}

/// A [`Report`] printed as Markdown: made by [`Report::markdown`].
#[derive(Debug, Clone, Copy)]
pub struct Markdown<'a>(&'a Report);

/// `s` with the characters that would end a Markdown table cell escaped.
fn cell(s: &str) -> String {
    s.replace('|', "\\|")
}

impl fmt::Display for Markdown<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let r = self.0;
        writeln!(f, "{}.\n", how_measured(r))?;
        writeln!(
            f,
            "| case | mode | optimized ns/call | cold ns/call | paths (optimized) |"
        )?;
        writeln!(f, "|---|---|---:|---:|---|")?;
        for c in &r.cases {
            writeln!(
                f,
                "| {} | {} | {:.1} | {:.1} | {} |",
                cell(&c.name),
                c.mode,
                c.optimized_ns,
                c.cold_ns,
                cell(&paths(c))
            )?;
        }
        if !r.warnings.is_empty() {
            writeln!(f)?;
            for w in &r.warnings {
                writeln!(f, "- {w}")?;
            }
        }
        Ok(())
    }
}

impl fmt::Display for Comparison {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} {:.1} ns/call vs {} {:.1} ns/call: ",
            self.a, self.a_ns, self.b, self.b_ns
        )?;
        if self.b_ns < 0.05 {
            write!(f, "no ratio ({} is too fast to time)", self.b)
        } else {
            write!(f, "{:.2}x", self.ratio)
        }
    }
}
