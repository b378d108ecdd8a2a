/*
 * Outbound requests to addresses an admin typed must not reach the machine's own network: the name
 * is resolved once, every address checked, and the connection made to the checked address (no
 * second lookup a rebinding DNS answer could change).
 */
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { isInternalAddress } from '../../domain/shared/internal-address.js';

export { isInternalAddress };

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
