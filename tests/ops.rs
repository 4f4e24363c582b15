//! The ops the tests call, one per conversion or behaviour under test.

use std::borrow::Cow;
use std::cell::RefCell;
use std::rc::Rc;

use opwire::{OpDecl, OpError, OpState, op, v8};

#[op]
pub fn op_add(a: i32, b: i32) -> i32 {
    a.wrapping_add(b)
}

macro_rules! echo_ops {
    ($($name:ident: $t:ty),* $(,)?) => {
        $( #[op] pub fn $name(v: $t) -> $t { v } )*
    };
}

echo_ops!(
    op_echo_bool: bool, op_echo_i8: i8, op_echo_i16: i16, op_echo_i32: i32,
    op_echo_u8: u8, op_echo_u16: u16, op_echo_u32: u32, op_echo_f32: f32, op_echo_f64: f64,
    op_echo_string: String, op_echo_opt_u32: Option<u32>,
);

#[op]
#[bigint]
pub fn op_echo_i64_big(#[bigint] v: i64) -> i64 {
    v
}

#[op]
#[bigint]
pub fn op_echo_u64_big(#[bigint] v: u64) -> u64 {
    v
}

#[op]
#[number]
pub fn op_echo_u64_num(#[number] v: u64) -> u64 {
    v
}

#[op]
#[number]
pub fn op_echo_i64_num(#[number] v: i64) -> i64 {
    v
}

#[op]
#[number]
pub fn op_u64_num_out(#[bigint] v: u64) -> u64 {
    v
}

#[op]
#[bigint]
pub fn op_opt_usize(#[number] v: Option<usize>) -> Option<usize> {
    v
}

#[op]
pub fn op_str_len(#[string] s: &str) -> u32 {
    u32::try_from(s.len()).unwrap_or(u32::MAX)
}

#[op]
pub fn op_echo_str(s: &str) -> String {
    s.to_owned()
}

#[op]
pub fn op_echo_cow(#[string] s: Cow<'_, str>) -> String {
    format!("{}:{}", matches!(s, Cow::Borrowed(_)), s)
}

#[op]
pub fn op_opt_str(s: Option<&str>, c: Option<Cow<'_, str>>) -> String {
    format!("{s:?}/{c:?}")
}

#[op]
pub fn op_static_str() -> &'static str {
    "static"
}

#[op]
pub fn op_none() -> Option<u32> {
    None
}

#[op]
pub fn op_unit() {}

#[op]
pub fn op_identity<'s>(v: v8::Local<'s, v8::Value>) -> v8::Local<'s, v8::Value> {
    v
}

#[op]
pub fn op_call<'s>(
    scope: &mut v8::PinScope<'s, '_>,
    f: v8::Local<'s, v8::Function>,
    x: i32,
) -> Option<v8::Local<'s, v8::Value>> {
    let recv = v8::undefined(scope).into();
    let arg = v8::Integer::new(scope, x).into();
    f.call(scope, recv, &[arg])
}

#[op]
pub fn op_div(a: f64, b: f64) -> Result<f64, OpError> {
    if b == 0.0 {
        Err(OpError::range_error("division by zero"))
    } else {
        Ok(a / b)
    }
}

#[op]
pub fn op_fail(
    #[string] class: &str,
    #[string] message: String,
    code: Option<String>,
) -> Result<(), OpError> {
    let mut err = OpError::new(class.to_owned(), message);
    if let Some(code) = code {
        err = err.with_code(code);
    }
    Err(err)
}

#[op]
pub fn op_read_missing() -> Result<String, OpError> {
    Ok(std::fs::read_to_string("/definitely/not/here/opwire")?)
}

#[op]
pub fn op_parse(#[string] s: &str) -> Result<u32, OpError> {
    Ok(s.parse::<u32>()?)
}

#[op]
pub fn op_boxed() -> Result<(), OpError> {
    let boxed: Box<dyn std::error::Error + Send + Sync> = "a boxed error".into();
    Err(OpError::from_boxed(boxed))
}

#[op]
pub fn op_io_alias() -> std::io::Result<u32> {
    Err(std::io::Error::new(
        std::io::ErrorKind::PermissionDenied,
        "no entry",
    ))
}

#[op]
pub fn op_panic(#[string] message: &str) -> u32 {
    panic!("{message}")
}

/// A counter kept in `OpState`.
pub struct Counter(pub u32);

#[op]
pub fn op_count(state: &mut OpState) -> u32 {
    let c = state.borrow_mut::<Counter>();
    c.0 += 1;
    c.0
}

#[op]
pub fn op_peek(state: &OpState) -> u32 {
    state.try_borrow::<Counter>().map_or(0, |c| c.0)
}

#[op]
pub fn op_count_rc(state: Rc<RefCell<OpState>>) -> u32 {
    let mut s = state.borrow_mut();
    let c = s.borrow_mut::<Counter>();
    c.0 += 10;
    c.0
}

#[op]
pub fn op_panic_with_state(state: &mut OpState) {
    state.borrow_mut::<Counter>().0 = 1000;
    panic!("while holding state");
}

#[op]
pub fn op_missing_state(state: &OpState) -> u32 {
    state.borrow::<String>().len() as u32
}

#[op]
pub fn op_reenter<'s>(
    _state: &mut OpState,
    scope: &mut v8::PinScope<'s, '_>,
    f: v8::Local<'s, v8::Function>,
) -> Option<v8::Local<'s, v8::Value>> {
    let recv = v8::undefined(scope).into();
    f.call(scope, recv, &[])
}

#[op(rename = "renamed")]
pub fn op_with_rust_name(_x: Option<bool>) -> bool {
    true
}

#[op]
pub fn op_optional_tail(a: u32, b: Option<u32>, c: Option<u32>) -> u32 {
    a + b.unwrap_or(0) + c.unwrap_or(0)
}

/// Every op above.
pub fn all() -> Vec<OpDecl> {
    opwire::ops![
        op_add,
        op_echo_bool,
        op_echo_i8,
        op_echo_i16,
        op_echo_i32,
        op_echo_u8,
        op_echo_u16,
        op_echo_u32,
        op_echo_f32,
        op_echo_f64,
        op_echo_string,
        op_echo_opt_u32,
        op_echo_i64_big,
        op_echo_u64_big,
        op_echo_u64_num,
        op_echo_i64_num,
        op_u64_num_out,
        op_opt_usize,
        op_str_len,
        op_echo_str,
        op_echo_cow,
        op_opt_str,
        op_static_str,
        op_none,
        op_unit,
        op_identity,
        op_call,
        op_div,
        op_fail,
        op_read_missing,
        op_parse,
        op_boxed,
        op_io_alias,
        op_panic,
        op_count,
        op_peek,
        op_count_rc,
        op_panic_with_state,
        op_missing_state,
        op_reenter,
        op_with_rust_name,
        op_optional_tail,
    ]
}
