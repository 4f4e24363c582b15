//! The `opwire-net` extension: the echo server example under 100
//! concurrent real `std::net::TcpStream` clients, closing cancelling
//! accepts and reads, addresses and half-close, argument errors, and the
//! host/port permissions.

use std::io::{Read, Write};
use std::net::{Shutdown, TcpStream};
use std::path::Path;
use std::sync::Arc;
use std::sync::mpsc;
use std::time::Duration;

use opwire::{ConsoleSink, JsRuntime, RuntimeOptions};
use opwire_net::{NetPermissions, net_extension};

use crate::util::tokio_rt;

fn runtime_with(perms: NetPermissions) -> JsRuntime {
    let mut rt = JsRuntime::new(RuntimeOptions {
        extensions: vec![net_extension(perms)],
        ..Default::default()
    });
    // `err(p)`: "name|code|message" of a rejection, or "ok".
    rt.execute_script(
        "helpers.js",
        "globalThis.err = (p) => p.then(() => 'ok', (e) => `${e.name}|${e.code}|${e.message}`);",
    )
    .unwrap();
    rt
}

fn loopback() -> JsRuntime {
    runtime_with(NetPermissions::none().allow("127.0.0.1", None))
}

/// Runs an async JS expression and returns its string value, then checks
/// that the runtime holds nothing more than before.
fn run(rt: &mut JsRuntime, src: &str) -> String {
    let before = rt.activity();
    tokio_rt().block_on(async {
        let out = rt
            .eval_async::<String>("test.js", src)
            .await
            .unwrap_or_else(|e| panic!("{src}: {e}"));
        rt.run_event_loop().await.unwrap();
        rt.check_leaks(&before).unwrap();
        out
    })
}

#[test]
fn the_echo_server_serves_100_concurrent_clients() {
    const CONNS: usize = 100;
    const SIZE: usize = 1 << 20;
    let (lines_tx, lines) = mpsc::channel::<(bool, String)>();
    let server = std::thread::spawn(move || -> Result<String, String> {
        tokio_rt().block_on(async move {
            let mut rt = loopback();
            let before = rt.activity();
            rt.op_state()
                .borrow_mut()
                .put(ConsoleSink::new(move |is_err, line| {
                    let _ = lines_tx.send((is_err, line.to_owned()));
                }));
            let args = ["0".to_owned(), CONNS.to_string()];
            opwire_examples::set_args(&mut rt, &args).map_err(|e| e.to_string())?;
            let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/js/echo_server.js");
            let main = rt
                .load_main_module(&path.display().to_string())
                .await
                .map_err(|e| e.to_string())?;
            rt.evaluate_module(main).await.map_err(|e| e.to_string())?;
            rt.run_event_loop().await.map_err(|e| e.to_string())?;
            rt.check_leaks(&before).map_err(|e| e.to_string())?;
            Ok(rt.activity().to_string())
        })
    });
    // A hang guard, not a timing assertion: a broken server fails the test
    // instead of blocking it forever.
    let first = lines.recv_timeout(Duration::from_secs(120));
    let Ok((false, line)) = first else {
        panic!(
            "no 'listening' line: {first:?}; server: {:?}",
            server.join()
        );
    };
    let port: u16 = line
        .strip_prefix("listening on 127.0.0.1:")
        .and_then(|p| p.parse().ok())
        .unwrap_or_else(|| panic!("unexpected first line {line:?}"));

    // One pattern; client `i` sends the 1 MiB starting at byte `i`, so that
    // bytes crossing between connections would show.
    let pattern: Arc<Vec<u8>> = Arc::new(
        (0..SIZE + CONNS)
            .map(|j| u8::try_from((j * 31 + j / 251) % 256).unwrap())
            .collect(),
    );
    let clients: Vec<_> = (0..CONNS)
        .map(|i| {
            let pattern = Arc::clone(&pattern);
            std::thread::spawn(move || -> Result<(), String> {
                let stream = TcpStream::connect(("127.0.0.1", port)).map_err(|e| e.to_string())?;
                let mut writer = stream.try_clone().map_err(|e| e.to_string())?;
                let sent = Arc::clone(&pattern);
                // Write and read at once: the server echoes while we send.
                let writing = std::thread::spawn(move || -> std::io::Result<()> {
                    writer.write_all(&sent[i..i + SIZE])?;
                    writer.shutdown(Shutdown::Write)
                });
                let mut back = Vec::with_capacity(SIZE);
                (&stream)
                    .read_to_end(&mut back)
                    .map_err(|e| format!("client {i}: {e}"))?;
                writing
                    .join()
                    .unwrap()
                    .map_err(|e| format!("client {i}: {e}"))?;
                if back.len() != SIZE {
                    return Err(format!("client {i}: {} bytes back of {SIZE}", back.len()));
                }
                if back[..] != pattern[i..i + SIZE] {
                    let at = back.iter().zip(&pattern[i..]).position(|(a, b)| a != b);
                    return Err(format!("client {i}: bytes differ from offset {at:?}"));
                }
                Ok(())
            })
        })
        .collect();
    for client in clients {
        client.join().unwrap().unwrap();
    }
    let activity = server.join().unwrap().unwrap();
    assert_eq!(activity, "nothing");
    let rest: Vec<(bool, String)> = lines.try_iter().collect();
    assert_eq!(rest, [(false, format!("served {CONNS} connections"))]);
}

#[test]
fn closing_cancels_accepts_and_reads() {
    let mut rt = loopback();
    let out = run(
        &mut rt,
        r#"(async () => {
            const out = [];
            const l = await net.listen({ port: 0 });
            const accepting = err(l.accept());
            out.push(Object.values(opwire.resources()).join());
            l.close();
            out.push(await accepting, await err(l.accept()));

            const l2 = await net.listen({ port: 0 });
            const client = await net.connect({ port: l2.addr.port });
            const server = await l2.accept();
            l2.close();
            const buf = new Uint8Array(16);
            const reading = err(server.read(buf));
            server.close();
            out.push(await reading, await err(server.read(buf)), await err(server.write(buf)));
            // The cancelled read let go of `buf`; the client sees the end.
            out.push(String(await client.read(buf)));
            client.close();
            return out.join("\n");
        })()"#,
    );
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines[0], "tcpListener");
    assert!(lines[1].starts_with("Interrupted|EINTR|"), "{out}");
    assert!(
        lines[2].starts_with("BadResource|ERR_BAD_RESOURCE|"),
        "{out}"
    );
    assert!(lines[3].starts_with("Interrupted|EINTR|"), "{out}");
    assert!(lines[4].starts_with("BadResource|"), "{out}");
    assert!(lines[5].starts_with("BadResource|"), "{out}");
    assert_eq!(lines[6], "null");
}

#[test]
fn connections_have_addresses_and_close_their_writing_side() {
    let mut rt = loopback();
    let out = run(
        &mut rt,
        r#"(async () => {
            const l = await net.listen({ hostname: "127.0.0.1", port: 0 });
            const c = await net.connect({ hostname: "127.0.0.1", port: l.addr.port });
            const s = await l.accept();
            l.close();
            const same = s.remoteAddr.port === c.localAddr.port
                && c.remoteAddr.port === l.addr.port
                && s.localAddr.hostname === "127.0.0.1"
                && c.remoteAddr.transport === "tcp";
            const wrote = await c.write(new Uint8Array([1, 2, 3]));
            await c.closeWrite();
            const buf = new Uint8Array(8);
            const got = [];
            for (let n; (n = await s.read(buf)) !== null; ) got.push(...buf.subarray(0, n));
            // Half-closed: the client still reads what the server sends.
            await s.write(new Uint16Array([0x0504]));
            s.close();
            const n = await c.read(buf);
            const end = await c.read(buf);
            c.close();
            const m = await import("ext:net/mod.js");
            return [same, wrote, got.join(), n, buf.subarray(0, n).join(), String(end),
                    m.listen === net.listen && m.default === net].join(" ");
        })()"#,
    );
    assert_eq!(out, "true 3 1,2,3 2 4,5 null true");
}

/// `for await (const conn of listener)` yields each connection and ends
/// when the listener is closed (its pending accept is interrupted).
#[test]
fn a_listener_is_an_async_iterable_of_connections() {
    let mut rt = loopback();
    let out = run(
        &mut rt,
        r#"(async () => {
            const l = await net.listen({ hostname: "127.0.0.1", port: 0 });
            const served = (async () => {
              const seen = [];
              for await (const conn of l) {
                const buf = new Uint8Array(4);
                await conn.read(buf);
                seen.push(buf[0]);
                conn.close();
                if (seen.length === 3) l.close();
              }
              return seen.sort().join();
            })();
            for (const byte of [7, 8, 9]) {
              const c = await net.connect({ hostname: "127.0.0.1", port: l.addr.port });
              await c.write(new Uint8Array([byte]));
              await c.read(new Uint8Array(1)); // null: the server closed it
              c.close();
            }
            return await served;
        })()"#,
    );
    assert_eq!(out, "7,8,9");
}

#[test]
fn bad_arguments_and_io_errors_name_the_op() {
    let mut rt = loopback();
    let free_port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let out = run(
        &mut rt,
        &format!(
            r#"(async () => {{
                const out = [];
                const t = (f) => {{ try {{ f(); return "ok"; }} catch (e) {{ return `${{e.name}}: ${{e.message}}`; }} }};
                out.push(t(() => ops.op_net_listen("127.0.0.1", 70000)));
                out.push(t(() => ops.op_net_read(1, "not a buffer")));
                out.push(await err(net.connect({{ port: {free_port} }})));
                out.push(await err(ops.op_net_read(12345, new Uint8Array(1))));
                return out.join("\n");
            }})()"#
        ),
    );
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(
        lines[0],
        "TypeError: op_net_listen: argument 'port' (#2) expected u16, got number 70000 (out of range)"
    );
    assert_eq!(
        lines[1],
        "TypeError: op_net_read: argument 'buf' (#2) expected Uint8Array, got string"
    );
    assert!(
        lines[2].starts_with(&format!(
            "ConnectionRefused|ECONNREFUSED|connect to 127.0.0.1:{free_port}: "
        )),
        "{out}"
    );
    assert!(
        lines[3].starts_with("BadResource|ERR_BAD_RESOURCE|op_net_read: ")
            && lines[3].contains("12345"),
        "{out}"
    );
}

/// The refusals of `calls` (JS expressions of promises), one line each.
fn refusals(rt: &mut JsRuntime, calls: &[&str]) -> Vec<String> {
    let list = calls
        .iter()
        .map(|c| format!("err({c}.then((r) => r.close()))"))
        .collect::<Vec<_>>()
        .join(", ");
    let src = format!("Promise.all([{list}]).then((a) => a.join('\\n'))");
    run(rt, &src).lines().map(String::from).collect()
}

#[test]
fn permissions_name_the_address_and_the_hint() {
    let free_port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let perms = NetPermissions::none()
        .allow("127.0.0.1", Some(free_port))
        .with_hint("run again with --allow-net");
    let mut rt = runtime_with(perms);
    let got = refusals(
        &mut rt,
        &[
            &format!("net.listen({{ port: {free_port} }})"),
            "net.listen({ port: 0 })",
            "net.listen({ hostname: 'localhost', port: 1 })",
            "net.connect({ hostname: '10.1.2.3', port: 80 })",
            "net.connect({ hostname: '::1', port: 9 })",
        ],
    );
    let denied = |addr: &str, what: &str| {
        format!(
            "PermissionDenied|EACCES|{what} \"{addr}\" is not allowed; run again with --allow-net"
        )
    };
    assert_eq!(
        got,
        [
            "ok".to_owned(),
            denied("127.0.0.1:0", "listen on"),
            denied("localhost:1", "listen on"),
            denied("10.1.2.3:80", "connect to"),
            denied("[::1]:9", "connect to"),
        ]
    );
    // Nothing allowed, and everything allowed.
    let mut none = runtime_with(NetPermissions::none());
    let got = refusals(&mut none, &["net.listen({ port: 0 })"]);
    assert_eq!(
        got,
        ["PermissionDenied|EACCES|listen on \"127.0.0.1:0\" is not allowed"]
    );
    let mut all = runtime_with(NetPermissions::allow_all());
    assert_eq!(refusals(&mut all, &["net.listen({ port: 0 })"]), ["ok"]);
}

#[test]
fn typescript_declarations_cover_fs_and_net() {
    let rt = JsRuntime::new(RuntimeOptions {
        extensions: vec![
            net_extension(NetPermissions::none()),
            opwire_fs::fs_extension(opwire_fs::FsPermissions::none()),
        ],
        ..Default::default()
    });
    let dts = rt.typescript_declarations();
    for line in [
        "op_net_read(rid: number, buf: Uint8Array): Promise<number>;",
        "op_net_write(rid: number, data: Uint8Array): Promise<number>;",
        "op_net_listen(hostname: string, port: number): Promise<unknown>;",
        "op_net_shutdown(rid: number): Promise<void>;",
        "op_fs_file_read(rid: number, buf: Uint8Array): Promise<number>;",
        "op_fs_read_text_file(path: string): Promise<string>;",
        "op_fs_write_file(path: string, data: Uint8Array): Promise<void>;",
    ] {
        assert!(dts.contains(line), "missing {line:?} in:\n{dts}");
    }
}
