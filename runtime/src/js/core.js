// opwire's bootstrap: evaluated once per runtime, it returns a function that
// receives the internal ops and the global object and installs `console`.
(function (internal, global) {
  "use strict";
  const { op_internal_print } = internal;

  function inspect(value, depth, seen) {
    switch (typeof value) {
      case "string":
        return depth === 0 ? value : JSON.stringify(value);
      case "number":
        return Object.is(value, -0) ? "-0" : String(value);
      case "bigint":
        return `${value}n`;
      case "symbol":
        return value.toString();
      case "function":
        return `[Function: ${value.name || "(anonymous)"}]`;
      case "undefined":
        return "undefined";
      case "boolean":
        return String(value);
    }
    if (value === null) return "null";
    if (value instanceof Error) return value.stack || String(value);
    if (seen.includes(value)) return "[Circular]";
    if (depth > 3) return Array.isArray(value) ? "[Array]" : "[Object]";
    seen.push(value);
    let out;
    if (Array.isArray(value)) {
      out = `[ ${value.map((v) => inspect(v, depth + 1, seen)).join(", ")} ]`;
      if (value.length === 0) out = "[]";
    } else {
      const entries = Object.keys(value).map(
        (k) => `${k}: ${inspect(value[k], depth + 1, seen)}`,
      );
      out = entries.length === 0 ? "{}" : `{ ${entries.join(", ")} }`;
    }
    seen.pop();
    return out;
  }

  const format = (args) => args.map((a) => inspect(a, 0, [])).join(" ");
  const out = (...args) => op_internal_print(format(args), false);
  const err = (...args) => op_internal_print(format(args), true);
  const console = { log: out, info: out, debug: out, warn: err, error: err };
  Object.defineProperty(global, "console", {
    value: console,
    writable: true,
    enumerable: false,
    configurable: true,
  });
})
