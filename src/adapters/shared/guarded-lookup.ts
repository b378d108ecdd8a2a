/*
 * Outbound requests to addresses an admin typed must not reach the machine's own network: the name
 * is resolved once, every address checked, and the connection made to the checked address (no
 * second lookup a rebinding DNS answer could change).
 */
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import net from 'node:net';

/** Loopback, private, link-local, unique-local, CGNAT, multicast, unspecified and documentation ranges. */
export function isInternalAddress(address: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  const ip = mapped ? mapped[1]! : address;
  if (net.isIPv4(ip)) {
    const [a, b] = ip.split('.').map(Number) as [number, number];
    return a === 0 || a === 10 || a === 127 || (a === 100 && b >= 64 && b <= 127) || (a === 169 && b === 254) || (a === 172 && b >= 16 && b <= 31)
      || (a === 192 && b === 168) || (a === 192 && b === 0) || (a === 198 && (b === 18 || b === 19)) || a >= 224;
  }
  const v6 = ip.toLowerCase();
  return v6 === '::' || v6 === '::1' || /^f[cd]/.test(v6) || /^fe[89ab]/.test(v6) || /^ff/.test(v6) || /^2001:db8/.test(v6) || /^64:ff9b/.test(v6);
}

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/** A `lookup` for http(s).request that refuses names resolving to an internal address, unless `trusted(host)`. */
export function guardedLookup(trusted: (hostname: string) => boolean) {
  return (hostname: string, options: { all?: boolean }, callback: LookupCallback): void => {
    dnsLookup(hostname, { all: true }, (error, addresses) => {
      if (error) return callback(error, []);
      const list = addresses as LookupAddress[];
      if (!trusted(hostname) && list.some((a) => isInternalAddress(a.address))) {
        return callback(Object.assign(new Error(`${hostname} resolves to an internal address`), { code: 'EADDRINTERNAL' }), []);
      }
      if (options.all) return callback(null, list);
      callback(null, list[0]!.address, list[0]!.family);
    });
  };
}
