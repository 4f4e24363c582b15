//! Benchmarks a few ops the way a user would benchmark their own:
//! `cargo run --release -p opwire-bench --example bench_my_ops [iterations]`.

use opwire::op;
use opwire_bench::Bench;

/// Adds; has a V8 fast path.
#[op]
fn op_add(a: i32, b: i32) -> i32 {
    a.wrapping_add(b)
}

/// The same, without the fast path.
#[op(nofast)]
fn op_add_nofast(a: i32, b: i32) -> i32 {
    a.wrapping_add(b)
}

/// The UTF-8 length of a string.
#[op]
fn op_len(#[string] s: &str) -> u32 {
    u32::try_from(s.len()).unwrap_or(u32::MAX)
}

/// Resolves to 1.
#[op]
async fn op_tick() -> u32 {
    1
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    // Before any JsRuntime: lets the bench optimize its loops on demand.
    opwire_bench::init();
    let iterations = std::env::args().nth(1).map_or(Ok(100_000), |s| s.parse())?;
    let bench = Bench::new("bench_my_ops")
        .ops(opwire::ops![op_add, op_add_nofast, op_len, op_tick])
        // Arguments are made once, here, not in the timed loop.
        .setup(
            "globalThis.S = 'hello world'; globalThis.jsAdd = (a, b) => (a + b) | 0; \
                globalThis.jsTick = async () => 1;",
        )
        .iterations(iterations)
        .sync("op_add", "ops.op_add(i, 1)")
        .sync("op_add_nofast", "ops.op_add_nofast(i, 1)")
        .sync("op_len", "ops.op_len(S)")
        .sync("jsAdd", "jsAdd(i, 1)")
        .async_seq("op_tick", "ops.op_tick()")
        .async_seq("jsTick", "jsTick()")
        .async_batch("op_tick/batch", "ops.op_tick()", 1_000);
    print!("{}", bench.run()?);
    println!("{}", bench.compare("op_add", "op_add_nofast")?);
    println!("{}", bench.compare("op_tick", "jsTick")?);
    Ok(())
}
