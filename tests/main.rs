//! opwire's integration tests, in one binary.

mod smoke {
    use opwire::{JsRuntime, RuntimeOptions, op};

    #[op]
    fn op_add(a: i32, b: i32) -> i32 {
        a + b
    }

    #[test]
    fn add() {
        let mut rt = JsRuntime::new(RuntimeOptions {
            ops: vec![op_add::DECL],
            ..Default::default()
        });
        let v: i32 = rt.eval("a.js", "ops.op_add(1, 2)").unwrap();
        assert_eq!(v, 3);
        let e = rt.execute_script("b.js", "ops.op_add(1, 'x')").unwrap_err();
        println!("{e}");
    }
}
