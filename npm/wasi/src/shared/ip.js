// IP addresses for wasi:sockets 0.2 and 0.3: `ip-address` from a literal, the host
// string of an `ip-socket-address` and back, the address checks, and the addresses a
// lookup found. Pure functions, no node APIs.

/** @typedef {{ tag: 'ipv4', value: number[] } | { tag: 'ipv6', value: number[] }} IpAddress */
/** @typedef {{ tag: 'ipv4', value: { port: number, address: number[] } } |
 *   { tag: 'ipv6', value: { port: number, flowInfo: number, address: number[], scopeId: number } }} SocketAddress */

/** An `ip-address` for an IPv4 or IPv6 literal, else null. @returns {IpAddress | null} */
export function parseIpLiteral(/** @type {string} */ name) {
  const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(name);
  if (v4) {
    const parts = v4.slice(1).map(Number);
    if (parts.every((n) => n <= 255)) return { tag: 'ipv4', value: parts };
    return null;
  }
  if (!name.includes(':') || !/^[0-9a-fA-F:]+$/.test(name)) return null;
  const halves = name.split('::');
  if (halves.length > 2) return null;
  const groups = (/** @type {string} */ s) => (s === '' ? [] : s.split(':'));
  const head = groups(halves[0]);
  const tail = halves.length === 2 ? groups(halves[1]) : [];
  const fill = 8 - head.length - tail.length;
  if (halves.length === 1 ? head.length !== 8 : fill < 1) return null;
  const all = [...head, ...Array(halves.length === 2 ? fill : 0).fill('0'), ...tail];
  if (!all.every((g) => /^[0-9a-fA-F]{1,4}$/.test(g))) return null;
  return { tag: 'ipv6', value: all.map((g) => parseInt(g, 16)) };
}

/** The host string of an `ip-socket-address`. @param {SocketAddress} a */
export function hostOf(a) {
  if (a.tag === 'ipv4') return a.value.address.join('.');
  const host = a.value.address.map((g) => g.toString(16)).join(':');
  return a.value.scopeId ? `${host}%${a.value.scopeId}` : host;
}

/** An `ip-socket-address` from node's address string and port. @param {string} host @param {number} port @returns {SocketAddress} */
export function socketAddress(host, port) {
  const ip = parseIpLiteral(host.replace(/%.*$/, ''));
  if (ip === null) throw new Error(`wasi:sockets: node reported an unparsable address ${host}`);
  if (ip.tag === 'ipv4') return { tag: 'ipv4', value: { port, address: ip.value } };
  return { tag: 'ipv6', value: { port, flowInfo: 0, address: ip.value, scopeId: 0 } };
}

/** @param {SocketAddress} a */
export function isUnspecified(a) {
  return a.value.address.every((x) => x === 0);
}

/** @param {SocketAddress} a */
export function isV4Mapped(a) {
  const g = a.value.address;
  return a.tag === 'ipv6' && g.slice(0, 5).every((x) => x === 0) && g[5] === 0xffff;
}

/** Not unicast: IPv4 multicast or broadcast, IPv6 multicast. @param {SocketAddress} a */
export function isNotUnicast(a) {
  const g = a.value.address;
  if (a.tag === 'ipv4') return (g[0] >= 224 && g[0] <= 239) || g.every((x) => x === 255);
  return (g[0] & 0xff00) === 0xff00;
}

/** @param {SocketAddress} a @param {SocketAddress} b */
export function sameAddress(a, b) {
  return a.tag === b.tag && a.value.port === b.value.port && a.value.address.every((x, i) => x === b.value.address[i]);
}

/**
 * The `ip-address`es of a lookup's answers (node's address strings), in order: IPv4-mapped
 * IPv6 addresses become the IPv4 address, duplicates and unparsable ones are dropped.
 * @param {string[]} found @returns {IpAddress[]}
 */
export function lookupAddresses(found) {
  /** @type {IpAddress[]} */
  const out = [];
  for (const address of found) {
    let ip = parseIpLiteral(address.replace(/%.*$/, ''));
    if (ip === null) continue;
    const g = ip.value;
    // Never an IPv4-mapped IPv6 address: those are the IPv4 address.
    if (ip.tag === 'ipv6' && g.slice(0, 5).every((x) => x === 0) && g[5] === 0xffff) ip = { tag: 'ipv4', value: [g[6] >> 8, g[6] & 255, g[7] >> 8, g[7] & 255] };
    if (!out.some((o) => o.tag === ip.tag && o.value.every((x, i) => x === ip.value[i]))) out.push(ip);
  }
  return out;
}
