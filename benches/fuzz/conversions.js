// Deterministic fuzzing of opwire's conversions: a seeded generator makes
// JS values of every kind (edge numbers, BigInts, strings with lone
// surrogates, buffers with offsets, detached, shared and resizable ones,
// object graphs with cycles, throwing getters, proxies, symbols, sparse and
// deep arrays), passes them to one op per conversion family, and checks each
// outcome against a JS oracle of the documented rule. `fuzz(seed, n)`
// returns { execs, failures: [first few messages] }.
(function () {
  "use strict";
  const NO = Symbol("refused");

  // --- a small seeded PRNG (xorshift32) -------------------------------------
  let state = 1;
  const seed = (s) => { state = (s >>> 0) || 1; };
  function next() {
    state ^= state << 13; state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5; state >>>= 0;
    return state;
  }
  const int = (n) => next() % n;
  const pick = (xs) => xs[int(xs.length)];

  // --- values ---------------------------------------------------------------
  const EDGE_NUMBERS = [
    0, -0, 1, -1, 0.5, -0.5, 1.9, -1.9, 127, 128, 255, 256, -128, -129, 32767, 32768,
    65535, 65536, 2 ** 31 - 1, 2 ** 31, -(2 ** 31), -(2 ** 31) - 1, 2 ** 32 - 1, 2 ** 32,
    2 ** 53 - 1, 2 ** 53, -(2 ** 53 - 1), -(2 ** 53), 2 ** 63, -(2 ** 63), 2 ** 64, 1e300,
    -1e300, Number.MIN_VALUE, NaN, Infinity, -Infinity, 4294967296.5, -2147483648.9,
  ];
  function number() {
    switch (int(4)) {
      case 0: return pick(EDGE_NUMBERS);
      case 1: return int(1 << 16) - (1 << 15);
      case 2: return (next() - 2 ** 31) * (int(3) === 0 ? 2 ** int(40) : 1);
      default: return (next() / 2 ** 32 - 0.5) * 2 ** int(70);
    }
  }
  function bigint() {
    const e = BigInt(int(72));
    const v = (BigInt(next()) << 32n | BigInt(next())) % (1n << (e + 1n));
    return int(2) ? v : -v;
  }
  function string() {
    let s = "";
    const len = pick([0, 1, 5, 16, 100, 600]);
    for (let i = 0; i < len; i++) {
      switch (int(5)) {
        case 0: s += String.fromCharCode(0xd800 + int(0x800)); break; // maybe a lone surrogate
        case 1: s += String.fromCharCode(0x80 + int(0x80)); break; // Latin-1
        case 2: s += String.fromCodePoint(0x1f600 + int(80)); break;
        default: s += String.fromCharCode(0x20 + int(0x5f));
      }
    }
    return s;
  }
  function buffer() {
    const len = pick([0, 1, 7, 64, 65, 1000]);
    const fill = (u) => { for (let i = 0; i < u.length; i++) u[i] = next() & 0xff; return u; };
    switch (int(9)) {
      case 0: return fill(new Uint8Array(len));
      case 1: { const b = fill(new Uint8Array(len + 8)); return b.subarray(3, 3 + len); }
      case 2: return fill(new Uint8Array(len)).buffer;
      case 3: { const b = new ArrayBuffer(len); b.transfer(); return b; }
      case 4: { const v = fill(new Uint8Array(len)); v.buffer.transfer(); return v; }
      case 5: { const s = new SharedArrayBuffer(len); fill(new Uint8Array(s)); return int(2) ? s : new Uint8Array(s); }
      case 6: { const r = new ArrayBuffer(len, { maxByteLength: len + 16 }); fill(new Uint8Array(r)); return int(2) ? r : new Uint8Array(r); }
      case 7: { const d = new Float64Array(len >> 3 || 1); return int(2) ? d : new DataView(d.buffer, 1); }
      default: return new Uint16Array([next() & 0xffff, 7]);
    }
  }
  class Hostile extends Error {}
  function hostile(depth) {
    switch (int(9)) {
      case 0: { const o = { a: 1 }; o.self = o; return o; }
      case 1: return { get a() { throw new Hostile("getter"); }, b: 1 };
      case 2: return new Proxy({ a: 1 }, { get() { throw new Hostile("proxy get"); } });
      case 3: return new Proxy([1, 2], { ownKeys() { throw new Hostile("proxy keys"); } });
      case 4: return { [Symbol("s")]: 1, s: Symbol("v") };
      case 5: { const a = []; a[int(100000)] = 1; return a; }
      case 6: { let d = 1; for (let i = 0, n = int(400); i < n; i++) d = [d]; return d; }
      case 7: return Object.create({ inherited: 1, a: 2 });
      default: return jsonValue(depth + 1);
    }
  }
  function jsonValue(depth) {
    switch (depth > 4 ? int(4) : int(7)) {
      case 0: return null;
      case 1: return Boolean(int(2));
      case 2: { const n = number(); return Number.isFinite(n) ? n : 0; }
      case 3: return string();
      case 4: return Array.from({ length: int(5) }, () => jsonValue(depth + 1));
      case 5: { const o = {}; for (let i = 0, n = int(5); i < n; i++) o["k" + int(10)] = jsonValue(depth + 1); return o; }
      default: return { a: int(256), b: int(2) ? string() : null, c: [number()] };
    }
  }
  function anyValue() {
    switch (int(9)) {
      case 0: case 1: return number();
      case 2: return bigint();
      case 3: return string();
      case 4: return buffer();
      case 5: return hostile(0);
      case 6: return jsonValue(0);
      case 7: return pick([undefined, null, true, false, Symbol("x"), () => 1, [], {}]);
      default: return pick([number(), string(), bigint()]);
    }
  }

  // --- oracles: what each op's documented rule accepts ------------------------
  const enforce = (min, max) => (v) => {
    if (typeof v !== "number" || !Number.isFinite(v)) return NO;
    const t = Math.trunc(v);
    return t < min || t > max ? NO : t + 0; // -0 is 0
  };
  const safeInt = (min, max) => (v) => {
    const t = enforce(-(2 ** 63), 2 ** 63)(v);
    if (t === NO || !Number.isSafeInteger(t) || t < min || t > max) return NO;
    return t;
  };
  const bigIntRule = (min, max) => (v) => {
    if (typeof v === "bigint") return v >= min && v <= max ? v : NO;
    const t = safeInt(-(2 ** 53), 2 ** 53)(v);
    return t === NO || BigInt(t) < min || BigInt(t) > max ? NO : BigInt(t);
  };
  const isBuffer = (v) => ArrayBuffer.isView(v) || v instanceof ArrayBuffer || v instanceof SharedArrayBuffer;
  function bytesOf(v) {
    if (ArrayBuffer.isView(v)) {
      // A view of a detached buffer is empty, as JS sees it.
      if (v.buffer.detached) return new Uint8Array(0);
      return new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
    }
    return new Uint8Array(v);
  }
  const checksum = (u) => { let s = u.length * 1000; for (let i = 0; i < u.length; i++) s = (s * 31 + u[i]) >>> 0; return s; };
  const isShared = (v) => (ArrayBuffer.isView(v) ? v.buffer : v) instanceof SharedArrayBuffer;
  const viewRule = (v) => {
    if (!isBuffer(v)) return NO;
    if (v instanceof ArrayBuffer && v.detached) return NO;
    return checksum(bytesOf(v));
  };
  const ownedRule = (v) => (isShared(v) ? NO : viewRule(v));

  const families = [
    ["op_fz_i8", enforce(-128, 127)],
    ["op_fz_u8", enforce(0, 255)],
    ["op_fz_i16", enforce(-32768, 32767)],
    ["op_fz_u16", enforce(0, 65535)],
    ["op_fz_i32", enforce(-(2 ** 31), 2 ** 31 - 1)],
    ["op_fz_u32", enforce(0, 2 ** 32 - 1)],
    ["op_fz_f64", (v) => (typeof v === "number" ? v : NO)],
    ["op_fz_num_i64", safeInt(-(2 ** 53 - 1), 2 ** 53 - 1)],
    ["op_fz_num_u64", safeInt(0, 2 ** 53 - 1)],
    ["op_fz_big_i64", bigIntRule(-(2n ** 63n), 2n ** 63n - 1n)],
    ["op_fz_big_u64", bigIntRule(0n, 2n ** 64n - 1n)],
    ["op_fz_str", (v) => (typeof v === "string" ? v.toWellFormed() : NO)],
    ["op_fz_string", (v) => (typeof v === "string" ? v.toWellFormed() : NO)],
    ["op_fz_buf", viewRule],
    ["op_fz_bytes", ownedRule],
  ];

  function same(a, b) {
    return Object.is(a, b) || (typeof a === "number" && typeof b === "number" && a === b && a !== 0);
  }

  // Calls `op` through an optimized caller too, so both paths are fuzzed.
  const callers = {};
  function caller(name) {
    if (!callers[name]) {
      const f = new Function("op", "return function (v) { return op(v); }")(ops[name]);
      callers[name] = f;
    }
    return callers[name];
  }

  function fuzz(s, n) {
    seed(s);
    const failures = [];
    let execs = 0;
    const fail = (msg) => { if (failures.length < 10) failures.push(msg); };
    for (let i = 0; i < n; i++) {
      const v = anyValue();
      const shown = () => { try { return typeof v === "bigint" ? v + "n" : JSON.stringify(v)?.slice(0, 80) ?? String(v); } catch { return Object.prototype.toString.call(v); } };
      for (const [name, oracle] of families) {
        execs++;
        let expected;
        try { expected = oracle(v); } catch { continue; }
        let got, threw;
        try { got = caller(name)(v); } catch (e) { threw = e; }
        if (threw !== undefined) {
          if (!(threw instanceof TypeError)) fail(`${name}(${shown()}) threw ${threw}`);
          else if (expected !== NO) fail(`${name}(${shown()}) refused: ${threw.message}`);
        } else if (expected === NO) {
          fail(`${name}(${shown()}) accepted, gave ${typeof got === "bigint" ? got + "n" : got}`);
        } else if (!same(got, expected)) {
          fail(`${name}(${shown()}) gave ${got}, expected ${expected}`);
        }
      }
      // serde: never a crash; refusals are TypeErrors or the value's own
      // exception; JSON-like values round-trip.
      execs++;
      let json;
      try { json = canonical(v); } catch { json = undefined; }
      try {
        const back = ops.op_fz_json(v);
        if (json !== undefined && typeof v === "object" && v !== null && !hasSpecial(v) && canonical(back) !== json) {
          fail(`op_fz_json(${shown()}) gave ${JSON.stringify(back)?.slice(0, 80)}`);
        }
      } catch (e) {
        if (!(e instanceof TypeError) && !(e instanceof Hostile)) fail(`op_fz_json(${shown()}) threw ${e}`);
      }
    }
    return { execs, failures };
  }

  // JSON with object keys sorted (serde_json's map orders its keys).
  function canonical(v) {
    return JSON.stringify(v, (_, x) =>
      x && typeof x === "object" && !Array.isArray(x)
        ? Object.fromEntries(Object.keys(x).sort().map((k) => [k, x[k]]))
        : x);
  }

  // Values whose JSON form is not what serde sees (sparse arrays, inherited
  // keys, toJSON, non-finite numbers, undefined members).
  function hasSpecial(v, seen = new Set()) {
    if (typeof v === "string") return !v.isWellFormed();
    if (typeof v !== "object" || v === null) return typeof v === "number" && !Number.isFinite(v);
    if (seen.has(v)) return true;
    seen.add(v);
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) if (!(i in v) || hasSpecial(v[i], seen)) return true;
      return false;
    }
    if (Object.getPrototypeOf(v) !== Object.prototype) return true;
    return Object.values(v).some((x) => x === undefined || hasSpecial(x, seen));
  }

  return fuzz;
})()
