// libuv's TCP and UDP handles (`process.binding`), whose `bind` and `listen` are
// synchronous and return errno codes, for the WASI 0.2 and 0.3 node sockets.

/** `uv_tcp_bind`'s and `uv_udp_bind`'s flag for IPv6-only sockets. */
export const UV_TCP_IPV6ONLY = 1;
export const UV_UDP_IPV6ONLY = 1;

/** @type {{ TCP: any, TCPConstants: any } | null} */
let tcp = null;
/** @type {{ UDP: any } | null} */
let udp = null;

/** libuv's TCP handle class and its constants (loaded on first use). */
export function uvTcp() {
  if (tcp === null) {
    const b = /** @type {any} */ (process).binding('tcp_wrap');
    tcp = { TCP: b.TCP, TCPConstants: b.constants };
  }
  return tcp;
}

/** libuv's UDP handle class (loaded on first use). */
export function uvUdp() {
  if (udp === null) udp = { UDP: /** @type {any} */ (process).binding('udp_wrap').UDP };
  return udp;
}
