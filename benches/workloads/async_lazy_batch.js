// opwire's own workload (not in the shared set): `async_batch` with a lazy
// async op, so every call takes the pending path (a waiting promise, the
// future in the event loop, settled in a batch of 1000 by one loop turn).
async function bench(n) {
  const op = OPS.op_bench_async_lazy;
  const round = 1000;
  let acc = 0;
  for (let done = 0; done < n; done += round) {
    const ps = new Array(round);
    for (let i = 0; i < round; i++) ps[i] = op();
    const rs = await Promise.all(ps);
    for (let i = 0; i < round; i++) acc += rs[i];
  }
  if (acc !== Math.ceil(n / 1000) * 1000) throw new Error("bad result " + acc);
}
