//! The first demo: sync ops called from JS, an op error caught in JS, state,
//! and an op called from Rust.
//!
//! `cargo run -p opwire-examples --example hello`

use opwire_examples::{Counter, demo_runtime, op_add};

const SCRIPT: &str = r#"
console.log("op_add(40, 2) =", ops.op_add(40, 2));
console.log(ops.op_greet("opwire"));

try {
  ops.op_div(1, 0);
} catch (e) {
  console.log(`caught ${e.name}: ${e.message}`);
}

try {
  ops.op_add(1, "x");
} catch (e) {
  console.log(`caught ${e.name}: ${e.message}`);
}

try {
  ops.op_panic("something broke");
} catch (e) {
  console.log(`caught ${e.name}: ${e.message}`);
}

ops.op_count();
ops.op_count();
console.log("op_count() =", ops.op_count());
"#;

fn main() {
    // A panicking op becomes a JS error; keep the demo's output short.
    std::panic::set_hook(Box::new(|info| eprintln!("(an op panicked: {info})")));
    let mut runtime = demo_runtime();
    if let Err(e) = runtime.execute_script("hello.js", SCRIPT) {
        eprintln!("{e}");
        std::process::exit(1);
    }
    let count = runtime.op_state().borrow().borrow::<Counter>().0;
    println!(
        "Rust sees the counter at {count}; op_add(2, 3) from Rust = {}",
        op_add(2, 3)
    );
}
