/*
 * Addresses an admin-typed URL must never reach from the server (request forgery): the machine's
 * own, its private networks, and ranges no public service lives in. Pure: literal addresses only;
 * names are resolved by the adapter, which checks every address with this.
 */

const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

/** Loopback, private, link-local, unique-local, CGNAT, multicast, unspecified and documentation ranges. */
export function isInternalAddress(address: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  const ip = mapped ? mapped[1]! : address;
  const v4 = IPV4.exec(ip);
  if (v4) {
    const [a, b] = [Number(v4[1]), Number(v4[2])];
    return a === 0 || a === 10 || a === 127 || (a === 100 && b >= 64 && b <= 127) || (a === 169 && b === 254) || (a === 172 && b >= 16 && b <= 31)
      || (a === 192 && b === 168) || (a === 192 && b === 0) || (a === 198 && (b === 18 || b === 19)) || a >= 224;
  }
  const v6 = ip.toLowerCase();
  return v6 === '::' || v6 === '::1' || /^f[cd]/.test(v6) || /^fe[89ab]/.test(v6) || /^ff/.test(v6) || /^2001:db8/.test(v6) || /^64:ff9b/.test(v6);
}

/** True when a URL's host is a literal IP address (IPv6 in brackets or not). */
export const isLiteralAddress = (hostname: string): boolean => IPV4.test(hostname) || hostname.replace(/^\[|\]$/g, '').includes(':');
