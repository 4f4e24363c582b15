//! Spreads independent scripts over worker threads, each owning a runtime,
//! and prints the throughput for 1 and 2 workers (the way a server would
//! use opwire).
//!
//! `cargo run --release -p opwire-examples --example workers`

use std::thread;
use std::time::Instant;

use opwire_examples::workers::{Pool, worker_runtime};

/// A job that keeps a core busy for a while, with op calls in it.
const JOB: &str = "(() => { let s = 0; for (let i = 0; i < 2_000_000; i++) s = ops.op_add(s & 0xffff, i & 0xff); return String(s); })()";

fn main() {
    let jobs = 64;
    println!("| workers | jobs | time | jobs/s |");
    println!("|---|---|---|---|");
    for workers in [1, 2] {
        let pool = Pool::new(workers, worker_runtime);
        // Clients on their own threads, as requests would come in.
        let start = Instant::now();
        let clients: Vec<_> = (0..workers * 2)
            .map(|_| {
                let pool = pool.clone();
                thread::spawn(move || {
                    for _ in 0..jobs / (workers * 2) {
                        pool.run(JOB).expect("job runs");
                    }
                })
            })
            .collect();
        for client in clients {
            client.join().expect("client thread");
        }
        let secs = start.elapsed().as_secs_f64();
        println!(
            "| {workers} | {jobs} | {secs:.2} s | {:.1} |",
            f64::from(jobs as u32) / secs
        );
    }
}
