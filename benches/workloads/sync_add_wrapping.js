// opwire's own workload (not in the shared set): `sync_add` on an
// `#[op(wrapping)]` op, whose integers wrap as deno_core's do (V8's plain
// `Int32` fast path) instead of being range-checked. Compare with
// `sync_add` (strict) and deno_core's `sync_add` from the same sitting.
function bench(n) {
  const op = OPS.op_bench_add_wrapping;
  let acc = 0;
  for (let i = 0; i < n; i++) acc = op(acc & 0xffff, i & 0xff);
  if (typeof acc !== "number") throw new Error("bad result");
}
