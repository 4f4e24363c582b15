// A module for the `run` example: it has `import` statements, so `run`
// loads it as an ES module. Static imports of modules and of a JSON file,
// top-level await, a dynamic import() and import.meta.
import { mean, sum } from "./lib/math.mjs";
import { greet } from "./lib/greet.js";
import config from "./config.json" with { type: "json" };

console.log(greet(config.name), "from", import.meta.url.split("/").slice(-2).join("/"));

await ops.op_sleep(5); // top-level await: the event loop drives it

const { describe } = await import("./lib/describe.js");
console.log(describe(config.numbers));

if (!import.meta.main || sum(config.numbers) !== 10 || mean(config.numbers) !== 2.5) {
  throw new Error("modules/main.js: unexpected results");
}
