// `defaultTcpOptions`: the socket options a new TCP socket reports in the WASI 0.2 and 0.3 node shims.

/**
 * The options a new TCP socket reports before the guest sets any, in the WASI 0.2 and
 * 0.3 node shims alike (accepted sockets inherit their listener's).
 */
export function defaultTcpOptions() {
  return {
    keepAlive: false,
    keepAliveIdle: 7200_000_000_000n,
    keepAliveInterval: 75_000_000_000n,
    keepAliveCount: 9,
    hopLimit: 64,
    receiveBufferSize: 131072n,
    sendBufferSize: 16384n,
  };
}
