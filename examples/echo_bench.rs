//! Echo throughput (MB/s) and connections per second on loopback: the
//! opwire echo server (`examples/js/echo_server.js` on `opwire-net`) against
//! the same server written in plain tokio (the ceiling on this machine).
//! Prints a table with the ratio.
//!
//! `cargo run --release -p opwire-examples --example echo_bench -- [MiB per connection] [connections] [short connections] [rounds]`
//!
//! Defaults: 64 MiB over each of 8 connections at once (64 KiB writes,
//! echoed while they are sent), then 4000 short connections (16 bytes
//! there and back, then close), 8 at a time; best of 3 rounds. Each server
//! runs on its own thread with a current-thread tokio runtime; the clients
//! run on the main thread, also on a current-thread runtime.

use std::path::Path;
use std::rc::Rc;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use opwire::{ConsoleSink, JsRuntime, RuntimeOptions};
use opwire_net::{NetPermissions, net_extension};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// What one benchmark run does.
#[derive(Clone, Copy)]
struct Load {
    mib_per_conn: usize,
    conns: usize,
    short_conns: usize,
}

impl Load {
    /// How many connections a server serves before it stops.
    fn total(self) -> usize {
        self.conns + self.short_conns
    }
}

/// Starts the opwire echo server for `limit` connections; returns its port
/// and the thread (which ends when the server is done).
fn opwire_server(limit: usize) -> (u16, std::thread::JoinHandle<()>) {
    let (tx, rx) = mpsc::channel();
    let thread = std::thread::spawn(move || {
        let tokio = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        tokio.block_on(async {
            let mut rt = JsRuntime::new(RuntimeOptions {
                extensions: vec![net_extension(
                    NetPermissions::none().allow("127.0.0.1", None),
                )],
                ..Default::default()
            });
            let tx = Rc::new(tx);
            rt.op_state()
                .borrow_mut()
                .put(ConsoleSink::new(move |_, line| {
                    if let Some(port) = line.strip_prefix("listening on 127.0.0.1:") {
                        let _ = tx.send(port.parse::<u16>().unwrap());
                    } else if !line.starts_with("served") {
                        eprintln!("server: {line}");
                    }
                }));
            opwire_examples::set_args(&mut rt, &["0".to_owned(), limit.to_string()]).unwrap();
            let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("js/echo_server.js");
            let main = rt
                .load_main_module(&path.display().to_string())
                .await
                .unwrap();
            rt.evaluate_module(main).await.unwrap();
            rt.run_event_loop().await.unwrap();
        });
    });
    (rx.recv().expect("the opwire server did not start"), thread)
}

/// The same echo server in plain tokio.
fn tokio_server(limit: usize) -> (u16, std::thread::JoinHandle<()>) {
    let (tx, rx) = mpsc::channel();
    let thread = std::thread::spawn(move || {
        let tokio = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        let local = tokio::task::LocalSet::new();
        local.block_on(&tokio, async move {
            let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
            tx.send(listener.local_addr().unwrap().port()).unwrap();
            let mut running = Vec::with_capacity(limit);
            for _ in 0..limit {
                let (mut conn, _) = listener.accept().await.unwrap();
                running.push(tokio::task::spawn_local(async move {
                    let mut buf = vec![0u8; 64 * 1024];
                    loop {
                        let n = conn.read(&mut buf).await.unwrap();
                        if n == 0 {
                            break;
                        }
                        conn.write_all(&buf[..n]).await.unwrap();
                    }
                }));
            }
            drop(listener);
            for task in running {
                task.await.unwrap();
            }
        });
    });
    (rx.recv().unwrap(), thread)
}

/// Sends `bytes` over one connection while reading the echo; checks the
/// length that came back.
async fn stream(port: u16, bytes: usize) {
    let conn = TcpStream::connect(("127.0.0.1", port)).await.unwrap();
    let (mut rd, mut wr) = conn.into_split();
    let writing = async move {
        let chunk = vec![7u8; 64 * 1024];
        let mut left = bytes;
        while left > 0 {
            let n = left.min(chunk.len());
            wr.write_all(&chunk[..n]).await.unwrap();
            left -= n;
        }
        wr.shutdown().await.unwrap();
    };
    let reading = async move {
        let mut buf = vec![0u8; 64 * 1024];
        let mut got = 0;
        loop {
            let n = rd.read(&mut buf).await.unwrap();
            if n == 0 {
                break;
            }
            got += n;
        }
        got
    };
    let ((), got) = tokio::join!(writing, reading);
    assert_eq!(got, bytes, "echoed bytes");
}

/// `n` short connections, one after another: 16 bytes there and back.
async fn short(port: u16, n: usize) {
    for _ in 0..n {
        let mut conn = TcpStream::connect(("127.0.0.1", port)).await.unwrap();
        conn.set_nodelay(true).unwrap();
        conn.write_all(&[1; 16]).await.unwrap();
        conn.shutdown().await.unwrap();
        let mut back = Vec::with_capacity(16);
        conn.read_to_end(&mut back).await.unwrap();
        assert_eq!(back.len(), 16);
    }
}

/// One run against a server on `port`: (MB/s, connections/s).
async fn measure(port: u16, load: Load) -> (f64, f64) {
    let bytes = load.mib_per_conn << 20;
    let start = Instant::now();
    join_local((0..load.conns).map(|_| stream(port, bytes))).await;
    let secs = start.elapsed().as_secs_f64();
    #[allow(clippy::cast_precision_loss)]
    let mbps = (bytes * load.conns) as f64 / 1e6 / secs;

    const AT_ONCE: usize = 8;
    let start = Instant::now();
    let per_task = load.short_conns / AT_ONCE;
    let extra = load.short_conns % AT_ONCE;
    join_local((0..AT_ONCE).map(|i| short(port, per_task + usize::from(i < extra)))).await;
    #[allow(clippy::cast_precision_loss)]
    let cps = load.short_conns as f64 / start.elapsed().as_secs_f64();
    (mbps, cps)
}

/// Runs futures at once on the current thread.
async fn join_local<F: std::future::Future<Output = ()> + 'static>(
    futures: impl Iterator<Item = F>,
) {
    let local = tokio::task::LocalSet::new();
    let tasks: Vec<_> = futures.map(|f| local.spawn_local(f)).collect();
    local
        .run_until(async {
            for t in tasks {
                t.await.unwrap();
            }
        })
        .await;
}

fn arg(n: usize, default: usize) -> usize {
    std::env::args()
        .nth(n)
        .map(|a| a.parse().expect("arguments are whole numbers"))
        .unwrap_or(default)
}

fn main() {
    let load = Load {
        mib_per_conn: arg(1, 64),
        conns: arg(2, 8),
        short_conns: arg(3, 4000),
    };
    let rounds = arg(4, 3).max(1);
    let clients = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let (mut best_tokio, mut best_opwire) = ((0.0f64, 0.0f64), (0.0f64, 0.0f64));
    for _ in 0..rounds {
        for (server, best) in [
            (tokio_server as fn(usize) -> _, &mut best_tokio),
            (opwire_server, &mut best_opwire),
        ] {
            let (port, thread) = server(load.total());
            let (mbps, cps) = clients.block_on(measure(port, load));
            thread.join().unwrap();
            *best = (best.0.max(mbps), best.1.max(cps));
            // Let the closed sockets' TIME_WAIT settle a little.
            std::thread::sleep(Duration::from_millis(100));
        }
    }
    let build = if cfg!(debug_assertions) {
        "debug build: run with --release for real figures"
    } else {
        "release build"
    };
    println!(
        "echo on loopback ({build}): {} connections x {} MiB at once, then {} short connections (16 bytes, 8 at a time); best of {rounds}",
        load.conns, load.mib_per_conn, load.short_conns
    );
    println!("| server | echo MB/s | connections/s |");
    println!("|---|---:|---:|");
    println!(
        "| plain tokio | {:.0} | {:.0} |",
        best_tokio.0, best_tokio.1
    );
    println!(
        "| opwire (echo_server.js) | {:.0} | {:.0} |",
        best_opwire.0, best_opwire.1
    );
    println!(
        "| opwire / tokio | {:.2} | {:.2} |",
        best_opwire.0 / best_tokio.0,
        best_opwire.1 / best_tokio.1
    );
}
