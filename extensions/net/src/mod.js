// `ext:net/mod.js`: the `net` extension's API as an ES module.
const net = globalThis.net;
export const { Conn, Listener, listen, connect } = net;
export default net;
