import type { ContainerModuleLoadOptions } from 'inversify';
import type {
  AccessControlPort, CataloguePort, ClockPort, CredentialsPort, DevMailboxPort, EnrolmentsPort, EventsPort, HostV1, HttpPort,
  LoggerPort, PanelsPort, ReportsPort, SeatsPort, UsersPort,
} from '../../contract/index.js';
import type { PortalFacts } from '../../domain/ports/portal-facts.port.js';
import { TYPES } from '../../types.js';
import { CachedPortalFacts } from './portal-facts.js';
import { MountLedger } from './mount-ledger.js';

/** Which container identifier each port of the host object is bound to. */
export const HOST_PORTS = {
  database: TYPES.Database,
  users: TYPES.Users,
  enrolments: TYPES.Enrolments,
  catalogue: TYPES.Catalogue,
  access: TYPES.Access,
  credentials: TYPES.Credentials,
  seats: TYPES.Seats,
  events: TYPES.Events,
  panels: TYPES.Panels,
  logger: TYPES.Logger,
  clock: TYPES.Clock,
} as const satisfies Partial<Record<keyof HostV1, symbol>>;

/**
 * The host's ports as the plugin's modules receive them (TYPES.HostPorts): read from the host object
 * once, here, with the portal behind the one cache and HTTP mounting behind the ledger. Modules take
 * what they need from this, never from the host object.
 */
export interface HostPorts {
  readonly users: UsersPort;
  readonly enrolments: EnrolmentsPort;
  readonly catalogue: CataloguePort;
  readonly portal: PortalFacts;
  readonly access: AccessControlPort;
  readonly credentials: CredentialsPort;
  readonly seats: SeatsPort;
  readonly events: EventsPort;
  readonly panels: PanelsPort;
  readonly http: HttpPort;
  readonly logger: LoggerPort;
  readonly clock: ClockPort;
  readonly devMailbox: DevMailboxPort | null;
  /** 1.1, optional: the host's item reports, which take the plugin's columns and filters; null on a 1.0 host. */
  readonly reports: ReportsPort | null;
}

/**
 * The anti-corruption layer's one reading of the host object: each port bound under its identifier,
 * the optional dev mailbox as null when absent, HTTP mounting through the ledger that checks mounts
 * against the manifest, and the portal's facts behind one cache.
 */
export function bindHostPorts(bind: ContainerModuleLoadOptions['bind'], host: HostV1): void {
  const b = bind;
  for (const [port, id] of Object.entries(HOST_PORTS)) b(id).toConstantValue(host[port as keyof typeof HOST_PORTS]);
  b(TYPES.DevMailbox).toConstantValue(host.devMailbox ?? null);
  b(TYPES.Layout).toConstantValue(host.layout ?? null);
  b(TYPES.AdminMenu).toConstantValue(host.adminMenu ?? null);
  const http = new MountLedger(host.http);
  const portal = new CachedPortalFacts(host.portal);
  b(TYPES.Http).toConstantValue(http);
  // Every reader of the portal, by either identifier, shares the one cache.
  b(TYPES.PortalFacts).toConstantValue(portal);
  b(TYPES.Portal).toConstantValue(portal);
  const ports: HostPorts = {
    users: host.users, enrolments: host.enrolments, catalogue: host.catalogue, portal, access: host.access, credentials: host.credentials,
    seats: host.seats, events: host.events, panels: host.panels, http, logger: host.logger, clock: host.clock, devMailbox: host.devMailbox ?? null,
    reports: host.reports ?? null,
  };
  b(TYPES.HostPorts).toConstantValue(ports);
}
