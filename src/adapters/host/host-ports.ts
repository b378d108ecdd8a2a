import type { ContainerModuleLoadOptions } from 'inversify';
import type { HostV1 } from '../../contract/index.js';
import { TYPES } from '../../container/types.js';
import { CachedPortalFacts } from './portal-facts.js';
import { MountLedger } from './mount-ledger.js';

/** Which container identifier each port of the host object is bound to. */
export const HOST_PORTS = {
  database: TYPES.Database,
  users: TYPES.Users,
  enrolments: TYPES.Enrolments,
  catalogue: TYPES.Catalogue,
  portal: TYPES.Portal,
  access: TYPES.Access,
  credentials: TYPES.Credentials,
  seats: TYPES.Seats,
  events: TYPES.Events,
  panels: TYPES.Panels,
  logger: TYPES.Logger,
  clock: TYPES.Clock,
} as const satisfies Partial<Record<keyof HostV1, symbol>>;

/**
 * The anti-corruption layer's one reading of the host object: each port bound under its identifier,
 * the optional dev mailbox as null when absent, HTTP mounting through the ledger that checks mounts
 * against the manifest, and the portal's facts behind one cache.
 */
export function bindHostPorts(bind: ContainerModuleLoadOptions['bind'], host: HostV1): void {
  const b = bind;
  b(TYPES.Host).toConstantValue(host);
  for (const [port, id] of Object.entries(HOST_PORTS)) b(id).toConstantValue(host[port as keyof typeof HOST_PORTS]);
  b(TYPES.DevMailbox).toConstantValue(host.devMailbox ?? null);
  b(TYPES.Http).toConstantValue(new MountLedger(host.http));
  b(TYPES.PortalFacts).toConstantValue(new CachedPortalFacts(host.portal));
}
