//! The macro's golden expansion inputs (`ops-macro/src/op/test_cases`) that
//! must compile do compile, and their ops run.

#[path = "../ops-macro/src/op/test_cases/add.rs"]
mod add;
#[path = "../ops-macro/src/op/test_cases/async_ops.rs"]
mod async_ops;
#[path = "../ops-macro/src/op/test_cases/fallible_bigint.rs"]
mod fallible_bigint;
#[path = "../ops-macro/src/op/test_cases/serde_and_buffers.rs"]
mod serde_and_buffers;
#[path = "../ops-macro/src/op/test_cases/strings_and_state.rs"]
mod strings_and_state;

#[test]
fn golden_inputs_run() {
    let mut rt = opwire::JsRuntime::new(opwire::RuntimeOptions {
        ops: opwire::ops![
            add::op_add,
            fallible_bigint::op_file_size,
            strings_and_state::op_greet
        ],
        ..Default::default()
    });
    rt.op_state().borrow_mut().put(0u32);
    assert_eq!(rt.eval::<i32>("g.js", "ops.op_add(2, 3)").unwrap(), 5);
    let manifest = concat!(env!("CARGO_MANIFEST_DIR"), "/Cargo.toml");
    let size: String = rt
        .eval("g.js", &format!("typeof ops.fileSize({manifest:?}, 10)"))
        .unwrap();
    assert_eq!(size, "bigint");
    assert_eq!(
        rt.eval::<String>("g.js", "ops.op_greet('a', '!')").unwrap(),
        "hello a!"
    );
    assert_eq!(*rt.op_state().borrow().borrow::<u32>(), 1);
}

#[test]
fn golden_async_inputs_run() {
    crate::util::tokio_rt().block_on(async {
        let mut rt = opwire::JsRuntime::new(opwire::RuntimeOptions {
            ops: opwire::ops![
                async_ops::op_read_text,
                async_ops::op_later,
                async_ops::op_truncate
            ],
            ..Default::default()
        });
        let manifest = concat!(env!("CARGO_MANIFEST_DIR"), "/Cargo.toml");
        let src = format!("ops.op_read_text({manifest:?}).then((s) => s.includes('opwire-tests'))");
        assert!(rt.eval_async::<bool>("g.js", &src).await.unwrap());
        assert!(
            rt.eval_async::<bool>("g.js", "ops.op_later(4).then((v) => v === 4n)")
                .await
                .unwrap()
        );
        let err = rt
            .eval_async::<u32>("g.js", "ops.op_truncate('/no/such/dir/x', 1)")
            .await
            .unwrap_err();
        assert_eq!(err.as_js().unwrap().name, "NotFound");
    });
}

#[test]
fn golden_serde_and_buffer_inputs_run() {
    crate::util::tokio_rt().block_on(async {
        let mut rt = opwire::JsRuntime::new(opwire::RuntimeOptions {
            ops: opwire::ops![serde_and_buffers::op_report, serde_and_buffers::op_checksum],
            ..Default::default()
        });
        let len: u32 = rt
            .eval(
                "g.js",
                "ops.op_report({ name: 'abc' }, new Uint8Array(2), new Uint8Array(1)).len",
            )
            .unwrap();
        assert_eq!(len, 5);
        let sum: u32 = rt
            .eval_async(
                "g.js",
                "ops.op_checksum(new Uint8Array([1, 2])).then((u) => u[0])",
            )
            .await
            .unwrap();
        assert_eq!(sum, 3);
    });
}
