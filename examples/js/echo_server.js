// A TCP echo server on the `net` extension:
//
//   run --allow-net=127.0.0.1 examples/js/echo_server.js [port] [connections]
//
// Listens on 127.0.0.1:`port` (0 or left out: any free port) and prints
// "listening on 127.0.0.1:<port>" once it does. Each connection gets back
// every byte it sends until it closes its side. With `connections`, the
// server stops accepting after that many, waits for them to finish, prints
// "served <n> connections" and exits; without, it serves until killed.
import { listen } from "ext:net/mod.js";

const [portArg = "0", limitArg] = globalThis.args ?? [];
const port = Number(portArg);
const limit = limitArg === undefined ? Infinity : Number(limitArg);
if (!Number.isInteger(port) || !(limit >= 0)) {
  throw new TypeError(`usage: echo_server.js [port] [connections], got ${globalThis.args}`);
}

/** Echoes `conn` until the peer closes its side, then closes it. */
async function echo(conn) {
  const buf = new Uint8Array(64 * 1024);
  try {
    for (;;) {
      const n = await conn.read(buf);
      if (n === null) break;
      await conn.write(buf.subarray(0, n));
    }
  } catch (e) {
    console.error(`${conn.remoteAddr.hostname}:${conn.remoteAddr.port}: ${e.name}: ${e.message}`);
  } finally {
    conn.close();
  }
}

const listener = await listen({ hostname: "127.0.0.1", port });
console.log(`listening on ${listener.addr.hostname}:${listener.addr.port}`);
const running = new Set();
let served = 0;
while (served < limit) {
  const conn = await listener.accept();
  served++;
  const done = echo(conn).finally(() => running.delete(done));
  running.add(done);
}
listener.close();
await Promise.all(running);
console.log(`served ${served} connections`);
