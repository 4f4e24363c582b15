//! The first demo: sync ops called from JS, an op error caught in JS, state,
//! an op called from Rust; then async ops: concurrent sleeps, a file written,
//! truncated on the blocking pool and read back, and timers.
//!
//! `cargo run -p opwire-examples --example hello`

use opwire_examples::{Counter, demo_runtime, op_add};

const SYNC: &str = r#"
console.log("op_add(40, 2) =", ops.op_add(40, 2));
console.log(ops.op_greet("opwire"));

for (const bad of [() => ops.op_div(1, 0), () => ops.op_add(1, "x"), () => ops.op_panic("something broke")]) {
  try {
    bad();
  } catch (e) {
    console.log(`caught ${e.name}: ${e.message}`);
  }
}

ops.op_count();
ops.op_count();
console.log("op_count() =", ops.op_count());
"#;

const ASYNC: &str = r#"
(async () => {
  const t0 = Date.now();
  await Promise.all([ops.op_sleep(50), ops.op_sleep(30), ops.op_sleep(40)]);
  console.log(`three concurrent sleeps (50, 30, 40 ms) took ${Date.now() - t0} ms`);

  const path = ops.op_temp_path("hello.txt");
  await ops.op_write_text(path, "truncate me, please");
  await ops.op_truncate(path, 11); // runs on tokio's blocking pool
  console.log(`file after op_truncate(path, 11): "${await ops.op_read_text(path)}"`);

  try {
    await ops.op_read_text("/no/such/file");
  } catch (e) {
    console.log(`async op rejected: ${e.name} (${e.code})`);
  }

  setTimeout(() => console.log("timer fired after 10 ms"), 10);
  queueMicrotask(() => console.log("microtask ran first"));
})();
"#;

#[tokio::main(flavor = "current_thread")]
async fn main() {
    // A panicking op becomes a JS error; keep the demo's output short.
    std::panic::set_hook(Box::new(|info| eprintln!("(an op panicked: {info})")));
    let mut runtime = demo_runtime();
    let result = async {
        runtime.execute_script("hello.js", SYNC)?;
        runtime.execute_script("hello-async.js", ASYNC)?;
        runtime.run_event_loop().await
    };
    if let Err(e) = result.await {
        eprintln!("{e}");
        std::process::exit(1);
    }
    let count = runtime.op_state().borrow().borrow::<Counter>().0;
    println!(
        "Rust sees the counter at {count}; op_add(2, 3) from Rust = {}",
        op_add(2, 3)
    );
}
