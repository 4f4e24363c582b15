// The `net` extension's JS API: the global `net` (also exported by
// `ext:net/mod.js`). Every I/O function returns a promise.
"use strict";
(() => {
  const toBytes = (data) => {
    if (data instanceof Uint8Array) return data;
    if (ArrayBuffer.isView(data)) {
      return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    }
    if (data instanceof ArrayBuffer) return new Uint8Array(data);
    throw new TypeError("expected a Uint8Array, a typed array, a DataView or an ArrayBuffer");
  };

  /** A TCP connection: a resource JS holds by `rid`. */
  class Conn {
    #rid;
    #localAddr;
    #remoteAddr;
    constructor({ rid, localAddr, remoteAddr }) {
      this.#rid = rid;
      this.#localAddr = Object.freeze(localAddr);
      this.#remoteAddr = Object.freeze(remoteAddr);
    }
    get rid() {
      return this.#rid;
    }
    /** `{ hostname, port, transport }` of this end. */
    get localAddr() {
      return this.#localAddr;
    }
    /** `{ hostname, port, transport }` of the peer. */
    get remoteAddr() {
      return this.#remoteAddr;
    }
    /**
     * Reads into `buffer` (a Uint8Array, written in place); resolves to the
     * number of bytes read, or null once the peer closed its side.
     */
    async read(buffer) {
      if (!(buffer instanceof Uint8Array)) {
        throw new TypeError("Conn.read: expected a Uint8Array");
      }
      if (buffer.length === 0) return 0;
      const n = await ops.op_net_read(this.#rid, buffer);
      return n === 0 ? null : n;
    }
    /** Writes all of `data`; resolves to its length. */
    write(data) {
      return ops.op_net_write(this.#rid, toBytes(data));
    }
    /** Closes the writing side (the peer reads the end); reading goes on. */
    closeWrite() {
      return ops.op_net_shutdown(this.#rid);
    }
    /** Closes the connection; ops in flight on it reject with `Interrupted`. */
    close() {
      opwire.close(this.#rid);
    }
  }

  /** A listening TCP socket: a resource JS holds by `rid`. */
  class Listener {
    #rid;
    #addr;
    constructor({ rid, localAddr }) {
      this.#rid = rid;
      this.#addr = Object.freeze(localAddr);
    }
    get rid() {
      return this.#rid;
    }
    /** `{ hostname, port, transport }` it listens on. */
    get addr() {
      return this.#addr;
    }
    /** Waits for the next connection. */
    async accept() {
      return new Conn(await ops.op_net_accept(this.#rid));
    }
    /** Stops listening; pending accepts reject with `Interrupted`. */
    close() {
      opwire.close(this.#rid);
    }
    /** The connections, until the listener is closed. */
    async *[Symbol.asyncIterator]() {
      for (;;) {
        try {
          yield await this.accept();
        } catch (e) {
          if (e.name === "Interrupted" || e.name === "BadResource") return;
          throw e;
        }
      }
    }
  }

  const net = {
    Conn,
    Listener,
    /** Listens on `hostname` (default "127.0.0.1") and `port` (0: any free one). */
    listen: async ({ hostname = "127.0.0.1", port } = {}) =>
      new Listener(await ops.op_net_listen(hostname, port)),
    /** Connects to `hostname` (default "127.0.0.1") and `port`. */
    connect: async ({ hostname = "127.0.0.1", port } = {}) =>
      new Conn(await ops.op_net_connect(hostname, port)),
  };
  Object.defineProperty(globalThis, "net", {
    value: Object.freeze(net),
    writable: true,
    configurable: true,
    enumerable: false,
  });
})();
