//! Many runtimes per process: one after another, and on threads at once.

use std::sync::{Arc, Barrier};

use crate::util::{eval, runtime};

#[test]
fn runtimes_one_after_another() {
    for i in 0..20 {
        let mut rt = runtime();
        assert_eq!(eval::<i32>(&mut rt, &format!("ops.op_add({i}, 1)")), i + 1);
    }
}

#[test]
fn runtimes_on_several_threads_at_once() {
    let threads = 4;
    let barrier = Arc::new(Barrier::new(threads));
    let handles: Vec<_> = (0..threads)
        .map(|t| {
            let barrier = barrier.clone();
            std::thread::spawn(move || {
                let mut rt = runtime();
                rt.op_state().borrow_mut().put(crate::ops::Counter(0));
                barrier.wait();
                let n: u32 = eval(
                    &mut rt,
                    "let n = 0; for (let i = 0; i < 10000; i++) n = ops.op_count(); n",
                );
                let s: i32 = eval(&mut rt, &format!("ops.op_add({t}, 100)"));
                (n, s)
            })
        })
        .collect();
    for (t, h) in handles.into_iter().enumerate() {
        let (n, s) = h.join().expect("thread");
        assert_eq!(n, 10_000, "each runtime has its own state");
        assert_eq!(s, i32::try_from(t).unwrap() + 100);
    }
}
