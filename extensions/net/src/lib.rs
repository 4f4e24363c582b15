//! `opwire-net`: TCP ops for [opwire], with host and port
//! permissions. Written only against opwire's public API, as any
//! third-party extension would be.
//!
//! Register [`net_extension`] with the addresses it may use; JS then has a
//! global `net` and the ES module `ext:net/mod.js` exporting the same
//! functions:
//!
//! ```
//! use opwire::{JsRuntime, RuntimeOptions};
//! use opwire_net::{NetPermissions, net_extension};
//!
//! # let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
//! # rt.block_on(async {
//! let mut rt = JsRuntime::new(RuntimeOptions {
//!     extensions: vec![net_extension(NetPermissions::none().allow("127.0.0.1", None))],
//!     ..Default::default()
//! });
//! let src = r#"(async () => {
//!     const listener = await net.listen({ hostname: "127.0.0.1", port: 0 });
//!     const client = await net.connect({ hostname: "127.0.0.1", port: listener.addr.port });
//!     const server = await listener.accept();
//!     await client.write(new Uint8Array([1, 2, 3]));
//!     const buf = new Uint8Array(8);
//!     const n = await server.read(buf);
//!     for (const r of [client, server, listener]) r.close();
//!     return `${n} ${buf.subarray(0, n)}`;
//! })()"#;
//! let got: String = rt.eval_async("main.js", src).await.unwrap();
//! assert_eq!(got, "3 1,2,3");
//! let err = rt
//!     .eval_async::<()>("bad.js", "net.connect({ hostname: '10.0.0.1', port: 80 }).then(() => {})")
//!     .await
//!     .unwrap_err();
//! assert!(err.to_string().contains("PermissionDenied"), "{err}");
//! # });
//! ```
//!
//! Listeners and connections are resources (`opwire.resources()` lists
//! them). Closing one (`conn.close()`, `opwire.close(rid)`) cancels the
//! reads, writes and accepts in flight on it: they reject with
//! `Interrupted`; later calls reject with `BadResource`. A read fills the
//! caller's `Uint8Array` in place (an [`opwire::JsBufferMut`]: the socket
//! writes straight into JS memory, with no `Vec` between), and a write
//! sends from the caller's bytes (an [`opwire::JsBuffer`]).

use std::borrow::Cow;
use std::cell::RefCell;
use std::io;
use std::net::SocketAddr;
use std::rc::Rc;

use opwire::{Extension, JsBuffer, JsBufferMut, OpError, OpState, Resource, ResourceId, op};
use serde::Serialize;
use tokio::net::tcp::{OwnedReadHalf, OwnedWriteHalf};
use tokio::net::{TcpListener, TcpStream};

mod permissions;

pub use permissions::NetPermissions;

/// The JS API as a classic script: defines the global `net`.
const NET_JS: &str = include_str!("net.js");
/// The JS API as an ES module (`ext:net/mod.js`), re-exporting `net`.
const MOD_JS: &str = include_str!("mod.js");

/// The `net` extension: its ops, the global `net`, the module
/// `ext:net/mod.js`, and `permissions` in the op state.
pub fn net_extension(permissions: NetPermissions) -> Extension {
    Extension::new("net")
        .ops(opwire::ops![
            op_net_listen,
            op_net_accept,
            op_net_connect,
            op_net_read,
            op_net_write,
            op_net_shutdown,
        ])
        .js("ext:net/net.js", NET_JS)
        .esm("mod.js", MOD_JS)
        .state_with(permissions, |state, permissions| {
            state.put(Rc::new(permissions));
        })
}

/// Checks `what` on `host:port` against the permissions in `state`.
fn check(state: &Rc<RefCell<OpState>>, host: &str, port: u16, what: &str) -> Result<(), OpError> {
    let perms = state.borrow().borrow::<Rc<NetPermissions>>().clone();
    perms.check(host, port, what)
}

/// An address as JS sees it.
#[derive(Serialize)]
struct Addr {
    hostname: String,
    port: u16,
    transport: &'static str,
}

impl From<SocketAddr> for Addr {
    fn from(addr: SocketAddr) -> Self {
        Addr {
            hostname: addr.ip().to_string(),
            port: addr.port(),
            transport: "tcp",
        }
    }
}

/// A new listener: its id and address.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ListenerInfo {
    rid: ResourceId,
    local_addr: Addr,
}

/// A new connection: its id and both ends' addresses.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ConnInfo {
    rid: ResourceId,
    local_addr: Addr,
    remote_addr: Addr,
}

/// A listening TCP socket, as JS holds it by id. Accepts may run at once.
pub struct TcpListenerResource {
    listener: TcpListener,
    addr: SocketAddr,
}

impl Resource for TcpListenerResource {
    fn name(&self) -> Cow<'_, str> {
        "tcpListener".into()
    }
}

/// A TCP connection, as JS holds it by id.
///
/// Reads take the read half directly (concurrent reads each get some of the
/// bytes); writes take turns on the write half, so that each write's bytes
/// go out together and a shutdown waits for the writes before it.
pub struct TcpConnResource {
    read: OwnedReadHalf,
    write: tokio::sync::Mutex<OwnedWriteHalf>,
    peer: SocketAddr,
}

impl Resource for TcpConnResource {
    fn name(&self) -> Cow<'_, str> {
        "tcpConn".into()
    }
}

/// Adds `stream` to the resource table.
fn add_conn(state: &Rc<RefCell<OpState>>, stream: TcpStream) -> io::Result<ConnInfo> {
    let local = stream.local_addr()?;
    let peer = stream.peer_addr()?;
    let (read, write) = stream.into_split();
    let rid = state.borrow_mut().resource_table.add(TcpConnResource {
        read,
        write: tokio::sync::Mutex::new(write),
        peer,
    });
    Ok(ConnInfo {
        rid,
        local_addr: local.into(),
        remote_addr: peer.into(),
    })
}

/// An I/O error with the operation and address in its message (class and
/// code kept).
fn io_err(what: &str, addr: impl std::fmt::Display) -> impl FnOnce(io::Error) -> OpError {
    let prefix = format!("{what} {addr}");
    move |e| OpError::from(e).context(prefix)
}

/// Listens on `hostname:port` (port 0: any free port).
#[op]
#[serde]
async fn op_net_listen(
    state: Rc<RefCell<OpState>>,
    #[string] hostname: String,
    port: u16,
) -> Result<ListenerInfo, OpError> {
    check(&state, &hostname, port, "listen on")?;
    let shown = permissions::show(&hostname, port);
    let listener = TcpListener::bind((hostname.as_str(), port))
        .await
        .map_err(io_err("listen on", &shown))?;
    let addr = listener.local_addr().map_err(io_err("listen on", &shown))?;
    let rid = state
        .borrow_mut()
        .resource_table
        .add(TcpListenerResource { listener, addr });
    Ok(ListenerInfo {
        rid,
        local_addr: addr.into(),
    })
}

/// Waits for the next connection on listener `rid`.
#[op]
#[serde]
async fn op_net_accept(state: Rc<RefCell<OpState>>, rid: ResourceId) -> Result<ConnInfo, OpError> {
    let (listener, cancel) = {
        let state = state.borrow();
        let table = &state.resource_table;
        (
            table.get::<TcpListenerResource>(rid)?,
            table.cancel_handle(rid)?,
        )
    };
    let addr = listener.addr;
    let (stream, _) = cancel
        .run(async move { listener.listener.accept().await })
        .await?
        .map_err(io_err("accept on", addr))?;
    add_conn(&state, stream).map_err(io_err("accept on", addr))
}

/// Connects to `hostname:port`.
#[op]
#[serde]
async fn op_net_connect(
    state: Rc<RefCell<OpState>>,
    #[string] hostname: String,
    port: u16,
) -> Result<ConnInfo, OpError> {
    check(&state, &hostname, port, "connect to")?;
    let shown = permissions::show(&hostname, port);
    let stream = TcpStream::connect((hostname.as_str(), port))
        .await
        .map_err(io_err("connect to", &shown))?;
    add_conn(&state, stream).map_err(io_err("connect to", &shown))
}

/// Connection `rid` and the handle that closing it cancels.
fn conn(
    state: &Rc<RefCell<OpState>>,
    rid: ResourceId,
) -> Result<(Rc<TcpConnResource>, opwire::CancelHandle), OpError> {
    let state = state.borrow();
    let table = &state.resource_table;
    Ok((
        table.get::<TcpConnResource>(rid)?,
        table.cancel_handle(rid)?,
    ))
}

/// Reads into `buf`; returns how many bytes arrived (0: the peer closed
/// its side, or `buf` is empty).
///
/// The socket writes into `buf` itself. The `&mut [u8]` exists only inside
/// `try_read`, within one poll, never across an `.await`.
#[op]
async fn op_net_read(
    state: Rc<RefCell<OpState>>,
    rid: ResourceId,
    mut buf: JsBufferMut,
) -> Result<u32, OpError> {
    let (conn, cancel) = conn(&state, rid)?;
    let peer = conn.peer;
    let n = cancel
        .run(async move {
            if buf.is_empty() {
                return Ok(0);
            }
            loop {
                conn.read.readable().await?;
                match conn.read.try_read(&mut buf) {
                    Err(e) if e.kind() == io::ErrorKind::WouldBlock => {}
                    done => return done,
                }
            }
        })
        .await?
        .map_err(io_err("read from", peer))?;
    Ok(u32::try_from(n).unwrap_or(u32::MAX))
}

/// Writes all of `data`; returns its length. Writes on one connection take
/// turns.
#[op]
async fn op_net_write(
    state: Rc<RefCell<OpState>>,
    rid: ResourceId,
    data: JsBuffer,
) -> Result<u32, OpError> {
    let (conn, cancel) = conn(&state, rid)?;
    let peer = conn.peer;
    cancel
        .run(async move {
            let half = conn.write.lock().await;
            let mut sent = 0;
            while sent < data.len() {
                half.writable().await?;
                match half.try_write(&data[sent..]) {
                    Ok(n) => sent += n,
                    Err(e) if e.kind() == io::ErrorKind::WouldBlock => {}
                    Err(e) => return Err(e),
                }
            }
            Ok(sent)
        })
        .await?
        .map_err(io_err("write to", peer))
        .map(|n| u32::try_from(n).unwrap_or(u32::MAX))
}

/// Closes the writing side of connection `rid` (the peer reads the end of
/// the stream) once the writes before it are done; reading goes on.
#[op]
async fn op_net_shutdown(state: Rc<RefCell<OpState>>, rid: ResourceId) -> Result<(), OpError> {
    use tokio::io::AsyncWriteExt;
    let (conn, cancel) = conn(&state, rid)?;
    let peer = conn.peer;
    cancel
        .run(async move { conn.write.lock().await.shutdown().await })
        .await?
        .map_err(io_err("shutdown", peer))
}
