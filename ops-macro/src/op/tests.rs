//! Golden expansions: every `test_cases/*.rs` is expanded and compared with
//! its `.expanded.rs`. Run with `UPDATE_EXPECTED=1` to rewrite them, and
//! review the diff: the size of the expansion is part of op overhead.

use std::fs;
use std::path::Path;

use quote::ToTokens;

/// Expands every `#[op(..)]` function of a test case file.
fn expand_file(source: &str) -> String {
    let file: syn::File = syn::parse_file(source).expect("test case parses");
    let mut out = proc_macro2::TokenStream::new();
    for item in file.items {
        let syn::Item::Fn(mut func) = item else {
            item.to_tokens(&mut out);
            continue;
        };
        let Some(pos) = func.attrs.iter().position(|a| a.path().is_ident("op")) else {
            func.to_tokens(&mut out);
            continue;
        };
        let attr = func.attrs.remove(pos);
        let args = match attr.meta {
            syn::Meta::List(list) => list.tokens,
            _ => proc_macro2::TokenStream::new(),
        };
        out.extend(super::expand(args, func.into_token_stream()));
    }
    let mut file: syn::File = syn::parse2(out).expect("expansion parses");
    // `compile_error!`s are listed as comments: how prettyplease prints a
    // macro call varies with the features other crates enable on it.
    let mut errors = String::new();
    file.items.retain(|item| match item {
        syn::Item::Macro(m)
            if m.mac
                .path
                .segments
                .last()
                .is_some_and(|s| s.ident == "compile_error") =>
        {
            let msg: syn::LitStr = m.mac.parse_body().expect("compile_error! takes a string");
            errors.push_str(&format!("// error: {}\n", msg.value()));
            false
        }
        _ => true,
    });
    prettyplease::unparse(&file) + &errors
}

/// The cases in `test_cases/`, by file name. A case deleted or renamed
/// without updating this list fails the test instead of silently no longer
/// being checked.
const CASES: [&str; 6] = [
    "add.rs",
    "async_ops.rs",
    "fallible_bigint.rs",
    "invalid.rs",
    "serde_and_buffers.rs",
    "strings_and_state.rs",
];

#[test]
fn golden_expansions() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/op/test_cases");
    let update = std::env::var_os("UPDATE_EXPECTED").is_some();
    let mut cases = Vec::new();
    for entry in fs::read_dir(&dir).expect("test_cases dir") {
        let path = entry.expect("dir entry").path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if !name.ends_with(".rs") || name.ends_with(".expanded.rs") {
            continue;
        }
        let actual = expand_file(&fs::read_to_string(&path).expect("read case"));
        let expected_path = path.with_extension("expanded.rs");
        if update {
            fs::write(&expected_path, &actual).expect("write expectation");
        } else {
            let expected = fs::read_to_string(&expected_path).unwrap_or_default();
            assert!(
                actual == expected,
                "expansion of {name} changed; rerun with UPDATE_EXPECTED=1 and review.\n--- actual ---\n{actual}"
            );
        }
        cases.push(name);
    }
    cases.sort();
    assert_eq!(cases, CASES, "the golden cases in {}", dir.display());
}
