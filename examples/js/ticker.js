// A Rust interval on another thread calls back into JS; aborting the signal
// stops it, and then the event loop has nothing left and `run` exits.
const controller = new AbortController();
let ticks = 0;
ticker.start(10, (n) => {
  ticks++;
  console.log(`tick ${n}`);
  if (ticks === 3) controller.abort();
}, { signal: controller.signal });
