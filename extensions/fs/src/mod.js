// `ext:fs/mod.js`: the `fs` extension's API as an ES module.
const fs = globalThis.fs;
export const {
  FsFile, readFile, readTextFile, writeFile, writeTextFile, stat, lstat,
  readDir, mkdir, remove, rename, open,
} = fs;
export default fs;
