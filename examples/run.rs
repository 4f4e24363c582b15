//! Runs a JS file with the demo ops (sync, async, blocking) and timers, until
//! its event loop is done; an uncaught error or unhandled rejection is
//! printed with its stack and the exit code is 1.
//!
//! A `.mjs` file, or one with `import`/`export` statements, runs as an ES
//! module (it may import other files and JSON); any other file as a classic
//! script (see `opwire_examples::is_module`).
//!
//! `cargo run -p opwire-examples --example run -- [options] examples/js/demo.js [args...]`
//!
//! `--max-heap-mb N` caps the JS heap (a script that reaches it stops with
//! an error instead of aborting the process); `--timeout-ms N` bounds the
//! whole run (the script, its microtasks and its event loop).
//!
//! The `fs` and `net` extensions (globals `fs` and `net`, modules
//! `ext:fs/mod.js` and `ext:net/mod.js`) are registered with Deno-style
//! flags: `--allow-read[=paths]`, `--allow-write[=paths]`,
//! `--allow-net[=hosts]` (comma-separated; a bare flag allows everything).
//! Without a flag, the ops it covers fail with `PermissionDenied` and a
//! message naming the flag to add. Arguments after the file are the
//! script's global `args`.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use opwire_examples::RunOptions;
use opwire_examples::allow::AllowFlags;

const USAGE: &str = "usage: run [--allow-read[=paths]] [--allow-write[=paths]] [--allow-net[=hosts]] \
                     [--max-heap-mb N] [--timeout-ms N] <file.js> [args...]";

/// The options and the file, or what is wrong with the arguments.
fn parse(mut args: impl Iterator<Item = String>) -> Result<(RunOptions, PathBuf), String> {
    let mut options = RunOptions::default();
    let mut allow = AllowFlags::default();
    let mut path = None;
    while let Some(arg) = args.next() {
        if allow.take(&arg) {
            continue;
        }
        let mut number = |flag: &str| -> Result<u64, String> {
            let value = args.next().ok_or(format!("{flag} needs a number"))?;
            value
                .parse()
                .map_err(|_| format!("{flag}: expected a whole number, got {value:?}"))
        };
        match arg.as_str() {
            "--max-heap-mb" => {
                let mb = number("--max-heap-mb")?;
                options.max_heap_mb = Some(usize::try_from(mb).map_err(|e| e.to_string())?);
            }
            "--timeout-ms" => {
                options.timeout = Some(Duration::from_millis(number("--timeout-ms")?))
            }
            flag if flag.starts_with("--") => return Err(format!("unknown option {flag}")),
            file => {
                path = Some(PathBuf::from(file));
                // The rest is the script's.
                options.args = args.collect();
                break;
            }
        }
    }
    options.fs = allow.fs();
    options.net = allow.net()?;
    Ok((options, path.ok_or("no file given")?))
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    let (options, path) = match parse(std::env::args().skip(1)) {
        Ok(parsed) => parsed,
        Err(e) => {
            eprintln!("{e}\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    match opwire_examples::run_file_with(&path, &options).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
