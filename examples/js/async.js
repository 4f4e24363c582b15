// Async ops and timers under `run`: concurrent sleeps, a file written, read
// and truncated (on the blocking pool), and timers in order.
const start = Date.now();
await_all();

async function await_all() {
  await Promise.all([ops.op_sleep(30), ops.op_sleep(10), ops.op_sleep(20)]);
  console.log(`three concurrent sleeps took ~${Date.now() - start} ms (not 60)`);

  const path = ops.op_temp_path("async-demo.txt");
  await ops.op_write_text(path, "hello from opwire");
  await ops.op_truncate(path, 5);
  console.log(`after truncating to 5 bytes: "${await ops.op_read_text(path)}"`);

  const t0 = Date.now();
  const sleeps = await Promise.all(Array.from({ length: 10000 }, () => ops.op_sleep(1)));
  console.log(`${sleeps.length} concurrent op_sleep(1) calls took ${Date.now() - t0} ms`);

  setTimeout(() => console.log("timer: second"), 5);
  setTimeout(() => console.log("timer: first"), 0);
  const ids = await Promise.all([ops.op_next_id(), ops.op_next_id()]);
  console.log("ids from state:", ids);
}
