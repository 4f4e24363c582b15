// opwire's bootstrap: evaluated once per runtime. The function it evaluates
// to installs `console`, the async op wrappers on `ops`, timers and
// `queueMicrotask`, and returns the hooks the Rust event loop calls.
// `makers` has, per async op (in `asyncOps`' order), the maker of its
// wrapper or null (see runtime/src/runtime/wrappers.rs).
(function (internal, global, ops, asyncOps, makers, statusBuffer) {
  "use strict";
  const {
    op_internal_print,
    op_internal_timer_start,
    op_internal_timer_cancel,
    op_close: close,
    op_resources: resources,
    op_internal_signal_brand,
    op_internal_signal_abort,
  } = internal;
  const PromiseResolve = Promise.resolve.bind(Promise);
  const PromiseReject = Promise.reject.bind(Promise);

  // --- console ---------------------------------------------------------

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
  define(global, "console", { log: out, info: out, debug: out, warn: err, error: err });

  function define(target, name, value) {
    Object.defineProperty(target, name, {
      value,
      writable: true,
      enumerable: false,
      configurable: true,
    });
  }

  // --- async ops: promise ids, a ring of settlers, an overflow map --------

  // Written by Rust during an async op call: 0 pending, 1 resolved now,
  // 2 rejected now (the op's return value is then the result / error).
  const status = new Int32Array(statusBuffer);
  // 1,024 promises in flight fit the ring (more spill into `overflow`); a
  // bigger ring costs every runtime memory (3 entries per slot) for nothing.
  const RING_SIZE = 1024;
  const RING_MASK = RING_SIZE - 1;
  const ringIds = new Int32Array(RING_SIZE).fill(-1);
  const ringResolve = new Array(RING_SIZE).fill(undefined);
  const ringReject = new Array(RING_SIZE).fill(undefined);
  const overflow = new Map(); // promise id -> [resolve, reject]
  let nextPromiseId = 0;

  // A pending op's promise comes from `new Promise` with one shared
  // executor that hands over its settlers: TurboFan inlines the constructor
  // and the executor, where `Promise.withResolvers()` is a builtin call that
  // also allocates its result object (a pure JS loop: ~33 against ~42 ns
  // per promise, BENCHMARKS.md).
  const NativePromise = Promise;
  let takenResolve, takenReject;
  const take = (resolve, reject) => {
    takenResolve = resolve;
    takenReject = reject;
  };

  function newPromise(id) {
    const promise = new NativePromise(take);
    const slot = id & RING_MASK;
    const old = ringIds[slot];
    if (old !== -1) overflow.set(old, [ringResolve[slot], ringReject[slot]]);
    ringIds[slot] = id;
    ringResolve[slot] = takenResolve;
    ringReject[slot] = takenReject;
    takenResolve = takenReject = undefined;
    return promise;
  }

  // Called by the event loop once per turn: [id, ok, value, id, ok, value, ...].
  function resolveOps(batch) {
    for (let i = 0; i < batch.length; i += 3) {
      const id = batch[i];
      const slot = id & RING_MASK;
      let resolve, reject;
      if (ringIds[slot] === id) {
        resolve = ringResolve[slot];
        reject = ringReject[slot];
        ringIds[slot] = -1;
        ringResolve[slot] = undefined;
        ringReject[slot] = undefined;
      } else {
        const settlers = overflow.get(id);
        if (settlers === undefined) continue;
        overflow.delete(id);
        [resolve, reject] = settlers;
      }
      if (batch[i + 1]) resolve(batch[i + 2]);
      else reject(batch[i + 2]);
    }
  }

  // Called after a termination: these ops were dropped, their promises
  // will never settle; forget them.
  function forgetOps(ids) {
    for (const id of ids) {
      const slot = id & RING_MASK;
      if (ringIds[slot] === id) {
        ringIds[slot] = -1;
        ringResolve[slot] = undefined;
        ringReject[slot] = undefined;
      } else {
        overflow.delete(id);
      }
    }
  }

  function pendingPromises() {
    let n = overflow.size;
    for (let i = 0; i < RING_SIZE; i++) if (ringIds[i] !== -1) n++;
    return n;
  }

  // The promise of an op that settled during its call. An async function
  // rather than `Promise.resolve`: TurboFan inlines it into one promise
  // allocation and, when the value is known to be a primitive (a fast
  // call's number), an inline fulfil, where `Promise.resolve` stays a
  // builtin call (a pure JS loop awaiting it: ~13 ns per await against
  // ~19 ns, BENCHMARKS.md).
  const resolvedNow = async (value) => value;
  const rejectedNow = async (error) => {
    throw error;
  };

  function settle(id, result) {
    switch (status[0]) {
      case 0:
        nextPromiseId = (id + 1) & 0x7fffffff;
        return newPromise(id);
      case 1:
        return resolvedNow(result);
      default:
        return rejectedNow(result);
    }
  }

  const nextId = () => nextPromiseId;

  function wrapAsync(name, raw, make) {
    // Argument conversion errors throw synchronously, from inside `raw`.
    // Calls with the declared number of arguments take the op's own
    // wrapper (`make`'s, a function literal of its own, so its call to
    // `raw` stays monomorphic and V8 can make it a fast call); others, and
    // ops with more than 8 parameters, go through the general path, where
    // `raw` reports the arity error.
    const general = function (...args) {
      const id = nextPromiseId;
      return settle(id, raw(id, ...args));
    };
    const wrapper = make === null ? general : make(raw, general, nextId, settle);
    Object.defineProperty(wrapper, "name", { value: name });
    Object.defineProperty(wrapper, "length", { value: raw.length });
    return wrapper;
  }

  // An async class member: `raw` takes the promise id first and reads
  // `this` as the receiver.
  function wrapAsyncMethod(name, raw) {
    const wrapper = {
      [name](...args) {
        const id = nextPromiseId;
        return settle(id, Reflect.apply(raw, this, [id, ...args]));
      },
    }[name];
    Object.defineProperty(wrapper, "length", { value: raw.length });
    return wrapper;
  }

  const asyncNames = Object.keys(asyncOps);
  for (let i = 0; i < asyncNames.length; i++) {
    const name = asyncNames[i];
    ops[name] = wrapAsync(name, asyncOps[name], makers[i]);
  }

  // --- timers --------------------------------------------------------------

  const timers = new Map(); // id -> { callback, args, repeat, delay, refed }
  let nextTimerId = 1;

  function toDelay(ms) {
    const n = Number(ms);
    return n > 0 && n <= 2147483647 ? n : 0;
  }

  // An unrefed timer does not keep the event loop alive (used by
  // `AbortSignal.timeout`).
  function startTimer(callback, ms, args, repeat, refed = true) {
    if (typeof callback !== "function") {
      throw new TypeError(
        `${repeat ? "setInterval" : "setTimeout"}: callback must be a function, got ${typeof callback}`,
      );
    }
    const id = nextTimerId++;
    const delay = toDelay(ms);
    timers.set(id, { callback, args, repeat, delay, refed });
    op_internal_timer_start(id, delay, refed);
    return id;
  }

  function clearTimer(id) {
    if (typeof id !== "number" || !timers.has(id)) return;
    timers.delete(id);
    op_internal_timer_cancel(id);
  }

  // Called by the event loop for each due timer, in order.
  function fireTimer(id) {
    const timer = timers.get(id);
    if (timer === undefined) return;
    if (timer.repeat) op_internal_timer_start(id, timer.delay, timer.refed);
    else timers.delete(id);
    timer.callback.apply(global, timer.args);
  }

  define(global, "setTimeout", (callback, ms, ...args) => startTimer(callback, ms, args, false));
  define(global, "setInterval", (callback, ms, ...args) => startTimer(callback, ms, args, true));
  define(global, "clearTimeout", clearTimer);
  define(global, "clearInterval", clearTimer);
  define(global, "queueMicrotask", (callback) => {
    if (typeof callback !== "function") {
      throw new TypeError(`queueMicrotask: callback must be a function, got ${typeof callback}`);
    }
    PromiseResolve().then(() => callback());
  });

  // --- AbortController / AbortSignal ---------------------------------------

  const illegalConstructor = Symbol("illegal constructor");

  function namedError(name, message) {
    const error = new Error(message);
    Object.defineProperty(error, "name", { value: name, writable: true, configurable: true });
    return error;
  }

  // An exception in an event listener does not reach the code that fired
  // the event: it is reported as an unhandled rejection, which the event
  // loop returns as an error.
  function reportError(error) {
    PromiseReject(error);
  }

  let signalAbort;

  class AbortSignal {
    #aborted = false;
    #reason = undefined;
    #listeners = [];
    #onabort = null;

    constructor(key) {
      if (key !== illegalConstructor) throw new TypeError("Illegal constructor");
      op_internal_signal_brand(this);
    }

    get aborted() {
      return this.#aborted;
    }

    get reason() {
      return this.#reason;
    }

    throwIfAborted() {
      if (this.#aborted) throw this.#reason;
    }

    get onabort() {
      return this.#onabort;
    }

    set onabort(listener) {
      this.#onabort = typeof listener === "function" ? listener : null;
    }

    addEventListener(type, listener, options) {
      if (type !== "abort" || listener == null) return;
      if (this.#listeners.some((l) => l.listener === listener)) return;
      const once = typeof options === "object" && options !== null && Boolean(options.once);
      this.#listeners.push({ listener, once });
    }

    removeEventListener(type, listener) {
      if (type !== "abort") return;
      this.#listeners = this.#listeners.filter((l) => l.listener !== listener);
    }

    #abort(reason) {
      if (this.#aborted) return;
      this.#aborted = true;
      this.#reason =
        reason === undefined ? namedError("AbortError", "This operation was aborted") : reason;
      // Ops first (their futures are dropped now), then listeners.
      op_internal_signal_abort(this, this.#reason);
      const event = { type: "abort", target: this, currentTarget: this };
      const listeners = this.#onabort ? [{ listener: this.#onabort }] : [];
      listeners.push(...this.#listeners);
      this.#listeners = this.#listeners.filter((l) => !l.once);
      for (const { listener } of listeners) {
        try {
          if (typeof listener === "function") listener.call(this, event);
          else if (listener && typeof listener.handleEvent === "function") listener.handleEvent(event);
        } catch (error) {
          reportError(error);
        }
      }
    }

    static {
      signalAbort = (signal, reason) => signal.#abort(reason);
    }

    static abort(reason) {
      const signal = new AbortSignal(illegalConstructor);
      signalAbort(signal, reason);
      return signal;
    }

    static timeout(ms) {
      const signal = new AbortSignal(illegalConstructor);
      const timedOut = () =>
        signalAbort(signal, namedError("TimeoutError", "The operation timed out"));
      startTimer(timedOut, ms, [], false, false);
      return signal;
    }

    static any(signals) {
      const signal = new AbortSignal(illegalConstructor);
      for (const source of signals) {
        if (source.aborted) {
          signalAbort(signal, source.reason);
          return signal;
        }
      }
      for (const source of signals) {
        source.addEventListener("abort", () => signalAbort(signal, source.reason), { once: true });
      }
      return signal;
    }

    get [Symbol.toStringTag]() {
      return "AbortSignal";
    }
  }

  class AbortController {
    #signal = new AbortSignal(illegalConstructor);

    get signal() {
      return this.#signal;
    }

    abort(reason) {
      signalAbort(this.#signal, reason);
    }

    get [Symbol.toStringTag]() {
      return "AbortController";
    }
  }

  define(global, "AbortSignal", AbortSignal);
  define(global, "AbortController", AbortController);

  // --- resources -----------------------------------------------------------

  define(global, "opwire", Object.freeze({ close, resources }));

  // `Object.keys` as it is now, before any user script can replace it: the
  // serde bridge lists object keys with it (V8's enum cache makes it fast).
  const objectKeys = Object.keys;

  // The serde bridge reads a long array of numbers in chunks, each with one
  // call of this (serde_v8/de/numbers.rs): it copies `array[from..to)` into
  // `out` (a Float64Array of to - from + 1; element i goes to out[i - from])
  // while each element is a Number within [lo, hi] (an integer when
  // `integral`), and returns the element it stopped at (every element is
  // read once). The last slot of `out` is where it stopped, or, if reading
  // an element threw, that element's index.
  const NumberIsInteger = Number.isInteger;
  function copyNumbers(array, from, to, out, lo, hi, integral) {
    const last = to - from;
    let i = from;
    try {
      for (; i < to; i++) {
        const v = array[i];
        if (typeof v !== "number" || !(v >= lo && v <= hi) || (integral && !NumberIsInteger(v))) {
          out[last] = i;
          return v;
        }
        out[i - from] = v;
      }
    } catch (e) {
      out[last] = i;
      throw e;
    }
    out[last] = to;
    return undefined;
  }

  return {
    resolveOps,
    fireTimer,
    pendingPromises,
    forgetOps,
    objectKeys,
    copyNumbers,
    wrapAsyncMethod,
  };
})
