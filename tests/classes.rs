//! Rust types as JS classes (`#[op] impl T`): construction, every kind of
//! member, wrong receivers, ownership by the garbage collector, instances
//! crossing ops, JS subclasses and the TypeScript declarations.

use std::cell::Cell;
use std::rc::Rc;
use std::sync::atomic::{AtomicUsize, Ordering};

use opwire::{Class, JsRuntime, OpError, OpState, RuntimeOptions, op};

use crate::util::{error_of, eval, tokio_rt};

// Drops of `Counter` values, per test thread.
thread_local! {
    static DROPS: Cell<usize> = const { Cell::new(0) };
}

fn drops() -> usize {
    DROPS.with(Cell::get)
}

/// A counter with every kind of member.
pub struct Counter {
    n: u32,
    step: u32,
}

impl Drop for Counter {
    fn drop(&mut self) {
        DROPS.with(|d| d.set(d.get() + 1));
    }
}

#[op]
impl Counter {
    #[constructor]
    fn new(start: u32) -> Result<Counter, OpError> {
        if start == 13 {
            return Err(OpError::range_error("unlucky start"));
        }
        Ok(Counter { n: start, step: 1 })
    }

    /// Adds the step, returns the new count (a fast-call candidate).
    fn inc(&mut self) -> u32 {
        self.n += self.step;
        self.n
    }

    fn add(&mut self, by: u32) -> u32 {
        self.n += by;
        self.n
    }

    fn label(&self, #[string] prefix: &str) -> String {
        format!("{prefix}{}", self.n)
    }

    #[getter]
    fn value(&self) -> u32 {
        self.n
    }

    #[setter]
    fn set_value(&mut self, v: u32) {
        self.n = v;
    }

    #[static_method]
    fn zero() -> Counter {
        Counter { n: 0, step: 1 }
    }

    #[static_method]
    fn calls(state: &mut OpState) -> u32 {
        let n = state.try_borrow_mut::<u32>().map_or(1, |n| {
            *n += 1;
            *n
        });
        state.put(n);
        n
    }

    /// Serde and buffer arguments, and an error with its class.
    fn tally(&self, #[serde] xs: Vec<u32>, bytes: &[u8]) -> Result<u32, OpError> {
        if xs.is_empty() {
            return Err(OpError::type_error("tally: nothing to add"));
        }
        Ok(self.n + xs.iter().sum::<u32>() + bytes.iter().map(|b| u32::from(*b)).sum::<u32>())
    }

    /// A copy with twice the step: returns a new instance.
    fn doubled(&self) -> Self {
        Counter {
            n: self.n,
            step: self.step * 2,
        }
    }
}

/// A class with async methods: they take `Rc<Self>`, state in cells.
pub struct Timer {
    fired: Cell<u32>,
}

#[op]
impl Timer {
    #[constructor]
    fn new() -> Timer {
        Timer {
            fired: Cell::new(0),
        }
    }

    async fn fire(self: Rc<Self>, ms: u32) -> u32 {
        tokio::time::sleep(std::time::Duration::from_millis(u64::from(ms))).await;
        self.fired.set(self.fired.get() + 1);
        self.fired.get()
    }

    #[static_method]
    async fn later(v: u32) -> u32 {
        tokio::task::yield_now().await;
        v
    }

    #[getter]
    fn fired(&self) -> u32 {
        self.fired.get()
    }
}

/// A class JS cannot construct: only ops hand out instances.
pub struct Token {
    id: u32,
}

#[op]
impl Token {
    #[getter]
    fn id(&self) -> u32 {
        self.id
    }
}

#[op]
fn op_token(id: u32) -> Token {
    Token { id }
}

#[op]
fn op_counter_total(a: &Counter, b: &Counter) -> u32 {
    a.n + b.n
}

#[op]
fn op_counter_reset(c: &mut Counter) {
    c.n = 0;
}

static RUNTIMES: AtomicUsize = AtomicUsize::new(0);

fn class_runtime() -> JsRuntime {
    RUNTIMES.fetch_add(1, Ordering::Relaxed);
    let mut rt = JsRuntime::new(RuntimeOptions {
        ops: opwire::ops![op_token, op_counter_total, op_counter_reset],
        classes: vec![Counter::CLASS, Timer::CLASS, Token::CLASS],
        ..Default::default()
    });
    rt.execute_script(
        "setup.js",
        "globalThis.Counter = ops.Counter; globalThis.Timer = ops.Timer; globalThis.Token = ops.Token;",
    )
    .unwrap();
    rt
}

#[test]
fn construction_and_sync_members() {
    let mut rt = class_runtime();
    let out: String = eval(
        &mut rt,
        r#"const c = new Counter(5);
           const r = [c.inc(), c.add(10), c.value, c.label("n=")];
           c.value = 100;
           r.push(c.value, c instanceof Counter, typeof Counter.prototype.inc,
                  Object.keys(c).length, Counter.name, Counter.prototype.inc.name);
           r.join(",")"#,
    );
    assert_eq!(out, "6,16,16,n=16,100,true,function,0,Counter,inc");
}

#[test]
fn members_take_what_ops_take() {
    let mut rt = class_runtime();
    let n: u32 = eval(
        &mut rt,
        "new Counter(1).tally([2, 3], new Uint8Array([4, 5]))",
    );
    assert_eq!(n, 15);
    assert_eq!(
        error_of(&mut rt, "new Counter(1).tally([], new Uint8Array(1))"),
        "TypeError: tally: nothing to add"
    );
    assert_eq!(
        error_of(&mut rt, "new Counter(1).tally(['x'], new Uint8Array(1))"),
        "TypeError: Counter.tally: argument 'xs' (#1): [0]: expected u32, got string"
    );
}

#[test]
fn extensions_register_classes() {
    let mut rt = JsRuntime::new(RuntimeOptions {
        extensions: vec![opwire::Extension::new("counters").class(Counter::CLASS)],
        ..Default::default()
    });
    let n: u32 = eval(&mut rt, "new ops.Counter(41).inc()");
    assert_eq!(n, 42);
}

#[test]
fn statics_and_instances_from_rust() {
    let mut rt = class_runtime();
    let out: String = eval(
        &mut rt,
        r#"const z = Counter.zero();
           const d = new Counter(1).doubled();
           [z instanceof Counter, z.inc(), d instanceof Counter, d.inc(), d.inc(),
            Counter.calls(), Counter.calls()].join(",")"#,
    );
    assert_eq!(out, "true,1,true,3,5,1,2");
}

#[test]
fn constructor_errors() {
    let mut rt = class_runtime();
    assert_eq!(
        error_of(&mut rt, "Counter(1)"),
        "TypeError: Class constructor Counter cannot be invoked without 'new'"
    );
    assert_eq!(
        error_of(&mut rt, "new Counter('x')"),
        "TypeError: new Counter: argument 'start' (#1) expected u32, got string"
    );
    assert_eq!(
        error_of(&mut rt, "new Counter(13)"),
        "RangeError: unlucky start"
    );
    assert_eq!(
        error_of(&mut rt, "new Token()"),
        "TypeError: Token has no #[constructor]: JS cannot create one, ops return its instances"
    );
    // A failed construction leaves no instance behind: `this` of a
    // subclass whose super() threw is never usable.
    let out: String = eval(
        &mut rt,
        r#"let seen;
           class Bad extends Counter { constructor() { try { super(13); } catch (e) { seen = e.name; } return {}; } }
           new Bad(); seen"#,
    );
    assert_eq!(out, "RangeError");
}

#[test]
fn wrong_receivers_are_type_errors() {
    let mut rt = class_runtime();
    for (call, got) in [
        ("Counter.prototype.inc.call({})", "object"),
        // V8 hands API functions the global object for `undefined`.
        ("Counter.prototype.inc.call(undefined)", "object"),
        ("Counter.prototype.inc.call(new Timer())", "object"),
        (
            "Counter.prototype.inc.call(new Uint8Array(4))",
            "Uint8Array",
        ),
        (
            "Counter.prototype.inc.call(Object.create(Counter.prototype))",
            "object",
        ),
    ] {
        assert_eq!(
            error_of(&mut rt, call),
            format!("TypeError: Counter.inc: receiver 'this' expected Counter, got {got}"),
            "{call}"
        );
    }
    let getter = "Object.getOwnPropertyDescriptor(Counter.prototype, 'value').get.call(7)";
    assert_eq!(
        error_of(&mut rt, getter),
        // (boxed: V8 hands API functions an object receiver)
        "TypeError: Counter.value: receiver 'this' expected Counter, got object"
    );
    assert_eq!(
        error_of(&mut rt, "new (new Counter(1).inc)()"),
        "TypeError: (intermediate value).inc is not a constructor"
    );
}

#[test]
fn the_fast_path_checks_the_receiver_too() {
    let mut rt = class_runtime();
    rt.execute_script(
        "opt.js",
        r#"globalThis.c = new Counter(0);
           globalThis.bump = function (o) { return o.inc(); };
           %PrepareFunctionForOptimization(bump);
           bump(c); bump(c);
           %OptimizeFunctionOnNextCall(bump);
           bump(c);"#,
    )
    .unwrap();
    let before = opwire::__private::fast_calls();
    let n: u32 = eval(&mut rt, "for (let i = 0; i < 100; i++) bump(c); c.value");
    assert_eq!(n, 103);
    assert!(
        opwire::__private::fast_calls() - before >= 100,
        "the optimized caller made fast calls"
    );
    // The same optimized call site with another receiver: a TypeError
    // naming the class, not a crash.
    let before = opwire::__private::fast_calls();
    let err = error_of(
        &mut rt,
        "const fake = Object.create(Counter.prototype); bump(fake)",
    );
    assert_eq!(
        err,
        "TypeError: Counter.inc: receiver 'this' expected Counter, got object"
    );
    let _ = before;
}

#[test]
fn class_arguments_of_ops() {
    let mut rt = class_runtime();
    let out: String = eval(
        &mut rt,
        r#"const a = new Counter(2), b = new Counter(40);
           const t = ops.op_counter_total(a, b);
           ops.op_counter_reset(a);
           [t, a.value, ops.op_counter_total(a, a)].join(",")"#,
    );
    assert_eq!(out, "42,0,0");
    assert_eq!(
        error_of(&mut rt, "ops.op_counter_total(new Counter(1), {})"),
        "TypeError: op_counter_total: argument 'b' (#2) expected Counter, got object"
    );
    assert_eq!(
        error_of(&mut rt, "ops.op_counter_reset(new Timer())"),
        "TypeError: op_counter_reset: argument 'c' (#1) expected Counter, got object"
    );
    let id: u32 = eval(
        &mut rt,
        "const tok = ops.op_token(7); tok instanceof Token ? tok.id : -1",
    );
    assert_eq!(id, 7);
}

#[test]
fn js_subclasses_construct_and_call_methods() {
    let mut rt = class_runtime();
    let out: String = eval(
        &mut rt,
        r#"class Loud extends Counter {
             constructor(start) { super(start * 10); this.extra = "!"; }
             shout() { return this.label("n=") + this.extra; }
             inc() { return super.inc() + 1000; }
           }
           const l = new Loud(2);
           [l instanceof Loud, l instanceof Counter, l.inc(), l.shout(), l.value,
            ops.op_counter_total(l, l)].join(",")"#,
    );
    assert_eq!(out, "true,true,1021,n=21!,21,42");
}

#[test]
fn async_methods_and_statics() {
    let rt = tokio_rt();
    rt.block_on(async {
        let mut js = class_runtime();
        js.execute_script(
            "async.js",
            r#"globalThis.result = null;
               (async () => {
                 const t = new Timer();
                 const [a, b] = await Promise.all([t.fire(5), t.fire(1)]);
                 const s = await Timer.later(9);
                 let err;
                 try { await Timer.prototype.fire.call({}, 1); } catch (e) { err = e.message; }
                 globalThis.result = [a + b, t.fired, s, err].join(",");
               })();"#,
        )
        .unwrap();
        js.run_event_loop().await.unwrap();
        let out: String = eval(&mut js, "result");
        assert_eq!(
            out,
            "3,2,9,Timer.fire: receiver 'this' expected Timer, got object"
        );
    });
}

#[test]
fn values_drop_when_collected_and_with_the_runtime() {
    let before = drops();
    {
        let mut rt = class_runtime();
        rt.execute_script(
            "gc.js",
            r#"for (let i = 0; i < 10; i++) new Counter(i);
               globalThis.kept = [new Counter(1), new Counter(2), Counter.zero()];"#,
        )
        .unwrap();
        // Full collections: the ten unreachable counters go.
        for _ in 0..3 {
            rt.execute_script("gc.js", "gc()").unwrap();
        }
        assert_eq!(drops() - before, 10, "unreachable instances dropped on GC");
        rt.execute_script("gc.js", "kept.pop(); gc(); gc();")
            .unwrap();
        assert_eq!(drops() - before, 11);
    }
    assert_eq!(drops() - before, 13, "the rest dropped with the runtime");
}

#[test]
fn reentrant_borrows_are_errors_not_panics() {
    /// Calls back into JS while it borrows itself mutably.
    pub struct Reenter {
        n: u32,
    }
    #[op]
    impl Reenter {
        #[constructor]
        fn new() -> Reenter {
            Reenter { n: 1 }
        }
        fn poke(&mut self, scope: &mut opwire::v8::PinScope<'_, '_>) -> String {
            self.n += 1;
            let src =
                opwire::v8::String::new(scope, "try { r.n() } catch (e) { e.message }").unwrap();
            let script = opwire::v8::Script::compile(scope, src, None).unwrap();
            let out = script.run(scope).unwrap();
            out.to_rust_string_lossy(scope)
        }
        fn n(&self) -> u32 {
            self.n
        }
    }
    let mut rt = JsRuntime::new(RuntimeOptions {
        classes: vec![Reenter::CLASS],
        ..Default::default()
    });
    let out: String = eval(&mut rt, "globalThis.r = new ops.Reenter(); r.poke()");
    assert_eq!(
        out,
        "Reenter.n: 'this': the Reenter is in use (a call in progress borrows it, or an async method holds it)"
    );
    let n: u32 = eval(&mut rt, "r.n()");
    assert_eq!(n, 2);
}

#[test]
fn typescript_declares_the_classes() {
    let rt = class_runtime();
    let dts = rt.typescript_declarations();
    for line in [
        "declare class Counter {\n  constructor(start: number);\n",
        "  inc(): number;\n",
        "  label(prefix: string): string;\n",
        "  get value(): number;\n",
        "  set value(v: number);\n",
        "  static zero(): Counter;\n",
        "  doubled(): Counter;\n",
        "declare class Timer {",
        "  fire(ms: number): Promise<number>;\n",
        "  static later(v: number): Promise<number>;\n",
        "declare class Token {\n  private constructor();\n  get id(): number;\n}\n",
        "  op_counter_total(a: Counter, b: Counter): number;\n",
        "  op_token(id: number): unknown;\n",
        "  Counter: typeof Counter;\n",
    ] {
        assert!(dts.contains(line), "missing {line:?} in\n{dts}");
    }
}

#[test]
fn a_class_registered_twice_is_refused() {
    let err = JsRuntime::try_new(RuntimeOptions {
        classes: vec![Counter::CLASS, Counter::CLASS],
        ..Default::default()
    })
    .unwrap_err();
    assert!(
        err.to_string()
            .contains("class `Counter` is registered twice"),
        "{err}"
    );
}

#[test]
fn returning_an_unregistered_class_is_an_error() {
    let mut rt = JsRuntime::new(RuntimeOptions {
        ops: opwire::ops![op_token],
        ..Default::default()
    });
    assert_eq!(
        error_of(&mut rt, "ops.op_token(1)"),
        "RangeError: op_token: return value: class Token is not registered in this runtime (add it to RuntimeOptions::classes)"
    );
}
