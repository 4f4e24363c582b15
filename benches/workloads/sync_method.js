// opwire's own workload (not in the shared set): `sync_add` as a method
// call on a class instance (`#[op] impl BenchAdder`), so the receiver
// check is in the loop. Compare with `sync_add` from the same sitting.
function bench(n) {
  const adder = new OPS.BenchAdder();
  let acc = 0;
  for (let i = 0; i < n; i++) acc = adder.add(acc & 0xffff, i & 0xff);
  if (typeof acc !== "number") throw new Error("bad result");
}
