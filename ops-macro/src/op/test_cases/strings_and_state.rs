use opwire::{OpState, op};

#[op]
pub fn op_greet(state: &mut OpState, #[string] name: &str, suffix: Option<String>) -> String {
    let count = state.borrow_mut::<u32>();
    *count += 1;
    format!("hello {name}{}", suffix.unwrap_or_default())
}
