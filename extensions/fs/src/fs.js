// The `fs` extension's JS API: the global `fs` (also exported by
// `ext:fs/mod.js`). Every function returns a promise.
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

  const SEEK = { start: 0, current: 1, end: 2 };

  /** An open file: a resource JS holds by `rid`. */
  class FsFile {
    #rid;
    constructor(rid) {
      this.#rid = rid;
    }
    get rid() {
      return this.#rid;
    }
    /**
     * Reads into `buffer` (a Uint8Array) at the file's position; resolves
     * to the number of bytes read, or null at the end of the file.
     */
    async read(buffer) {
      if (!(buffer instanceof Uint8Array)) {
        throw new TypeError("FsFile.read: expected a Uint8Array");
      }
      if (buffer.length === 0) return 0;
      const n = await ops.op_fs_file_read(this.#rid, buffer);
      return n === 0 ? null : n;
    }
    /** Writes all of `data`; resolves to its length. */
    write(data) {
      return ops.op_fs_file_write(this.#rid, toBytes(data));
    }
    /** Moves the position; `whence` is "start" (default), "current" or "end". */
    seek(offset, whence = "start") {
      const w = SEEK[whence];
      if (w === undefined) throw new TypeError(`FsFile.seek: bad whence ${whence}`);
      return ops.op_fs_file_seek(this.#rid, offset, w);
    }
    /** Sets the length (0 by default). */
    truncate(len = 0) {
      return ops.op_fs_file_truncate(this.#rid, len);
    }
    stat() {
      return ops.op_fs_file_stat(this.#rid);
    }
    /** Closes the file; ops in flight on it reject with `Interrupted`. */
    close() {
      opwire.close(this.#rid);
    }
  }

  const fs = {
    FsFile,
    readFile: (path) => ops.op_fs_read_file(path),
    readTextFile: (path) => ops.op_fs_read_text_file(path),
    writeFile: (path, data) => ops.op_fs_write_file(path, toBytes(data)),
    writeTextFile: (path, text) => ops.op_fs_write_text_file(path, String(text)),
    stat: (path) => ops.op_fs_stat(path),
    lstat: (path) => ops.op_fs_lstat(path),
    readDir: (path) => ops.op_fs_read_dir(path),
    mkdir: (path, { recursive = false } = {}) => ops.op_fs_mkdir(path, !!recursive),
    remove: (path, { recursive = false } = {}) => ops.op_fs_remove(path, !!recursive),
    rename: (from, to) => ops.op_fs_rename(from, to),
    /** Opens a file (options: read, write, append, truncate, create, createNew). */
    open: async (path, options) => new FsFile(await ops.op_fs_open(path, options)),
  };
  Object.defineProperty(globalThis, "fs", {
    value: Object.freeze(fs),
    writable: true,
    configurable: true,
    enumerable: false,
  });
})();
