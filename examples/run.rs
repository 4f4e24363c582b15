//! Runs a JS file with the demo ops (sync, async, blocking) and timers, until
//! its event loop is done; an uncaught error or unhandled rejection is
//! printed with its stack and the exit code is 1.
//!
//! `cargo run -p opwire-examples --example run -- examples/js/demo.js`

use std::path::PathBuf;
use std::process::ExitCode;

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    let Some(path) = std::env::args_os().nth(1).map(PathBuf::from) else {
        eprintln!("usage: run <file.js>");
        return ExitCode::from(2);
    };
    match opwire_examples::run_file(&path).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
