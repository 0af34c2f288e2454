// `asciiDomainName`: a name for `resolve-addresses` as the ASCII (IDNA) domain name node:dns
// looks up, or null when it is none, for the WASI 0.2 and 0.3 node sockets.
import { domainToASCII } from 'node:url';

/** The ASCII form of a domain name (`domainToASCII`), or null when `name` is not one. @param {string} name */
export function asciiDomainName(name) {
  const ascii = name.length > 0 && name.length <= 253 ? domainToASCII(name) : '';
  if (ascii === '' || !/^[a-z0-9_-]+(\.[a-z0-9_-]+)*\.?$/i.test(ascii)) return null;
  return ascii;
}
