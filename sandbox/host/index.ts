/*
 * The sandbox's implementation of host contract 1.1 (src/contract/, `reports` included) over the `sandbox_*` tables,
 * composed from a file per port. Every port that accepts a transaction runs its statements on it;
 * ids cross the boundary as strings; events are raised only after the change that caused them has
 * committed.
 */
import type { Knex } from 'knex';
import { HOST_API_VERSION } from '../../src/contract/index.js';
import type { ClockPort, HostUser, HostV1, LoggerPort, Tx } from '../../src/contract/index.js';
import { createAccessPort } from './access.port.js';
import { createCataloguePort } from './catalogue.port.js';
import { createCredentialsPort } from './credentials.port.js';
import { createDevMailboxPort } from './dev-mailbox.port.js';
import { createEnrolmentsPort } from './enrolments.port.js';
import { HostEventBus } from './events.port.js';
import { FilterChains } from './filters.port.js';
import { createHostContext } from './host-context.js';
import type { HostConfig, HostContext } from './host-context.js';
import { MountRegistry } from './http.port.js';
import { createLearning } from './learning.js';
import type { SandboxLearning } from './learning.js';
import { createLogger, loggerPort } from './logger.port.js';
import type { SandboxLogger } from './logger.port.js';
import { findCredentials, findUser } from './lookups.js';
import { PanelRegistry } from './panels.port.js';
import { AdminMenuRegistry, LayoutRegistry } from './layout.port.js';
import { createPortalPort } from './portal.port.js';
import { ReportContributors } from './reports.port.js';
import { createSandboxAdmin } from './sandbox-admin.js';
import type { SandboxAdmin } from './sandbox-admin.js';
import { createSeatsPort } from './seats.port.js';
import { createSelfEnrolment } from './self-enrolment.js';
import type { SandboxSelfEnrolment } from './self-enrolment.js';
import { createUsersPort } from './users.port.js';

export interface HostDeps {
  knex: Knex;
  config: HostConfig;
  logger?: SandboxLogger;
  clock?: ClockPort;
  quiet?: boolean;
  /** Paths the plugin may not mount over (the sandbox's own pages). */
  reservedPaths?: readonly string[];
}

export interface CreatedHost {
  host: HostV1;
  /** What the host shares with the sandbox's pages: database, configuration, clock, events, log. */
  context: HostContext;
  events: HostEventBus;
  /** Contract 1.1: the filter chains (`enrolment.self_enrol`) the plugin joins through `events.filter`. */
  filters: FilterChains;
  /** Items opened for self-enrolment, the learners' catalogue and its enrolments. */
  selfEnrolment: SandboxSelfEnrolment;
  panels: PanelRegistry;
  mounts: MountRegistry;
  /** Contract 1.1: the frame of the plugin's admin pages and the admin menu entries. */
  layout: LayoutRegistry;
  adminMenu: AdminMenuRegistry;
  logger: SandboxLogger;
  admin: SandboxAdmin;
  /** Lessons, quizzes and sign-ins, raising the learning events. */
  learning: SandboxLearning;
  /** The report contributors handed over through `reports.contribute`. */
  contributors: ReportContributors;
  findUser(id: string, tx?: Tx): Promise<HostUser | null>;
  /** Email + password hash for the sign-in strategy. */
  findCredentials(email: string): Promise<{ user: HostUser; passwordHash: string | null } | null>;
}

export function createHost(deps: HostDeps): CreatedHost {
  const { knex, config } = deps;
  const logger = deps.logger ?? createLogger({ ...(deps.quiet !== undefined && { quiet: deps.quiet }) });
  const log = logger.pino;
  const clock = deps.clock ?? { now: () => new Date() };
  const events = new HostEventBus(log);
  const filters = new FilterChains(log);
  const panels = new PanelRegistry(log);
  const mounts = new MountRegistry(log, deps.reservedPaths ?? []);
  const layout = new LayoutRegistry();
  const adminMenu = new AdminMenuRegistry();
  const context = createHostContext({ knex, config, clock, events, log });
  const port: LoggerPort = loggerPort(log);
  const learning = createLearning(context);
  const contributors = new ReportContributors(log);

  const host: HostV1 = {
    apiVersion: HOST_API_VERSION,
    database: knex,
    users: createUsersPort(context),
    enrolments: createEnrolmentsPort(context),
    catalogue: createCataloguePort(context),
    portal: createPortalPort(context),
    access: createAccessPort(context),
    credentials: createCredentialsPort(context, learning),
    seats: createSeatsPort(context),
    events: { on: (event, handler) => events.on(event, handler), filter: (name, handler, priority) => filters.filter(name, handler, priority) },
    panels: { register: (panel) => panels.register(panel) },
    http: { mount: (path, router, kind) => mounts.mount(path, router, kind) },
    logger: port,
    clock,
    devMailbox: createDevMailboxPort(context),
    layout: layout.port,
    adminMenu: adminMenu.port,
    reports: contributors.port,
  };

  return {
    host,
    context,
    events,
    filters,
    selfEnrolment: createSelfEnrolment(context, filters),
    panels,
    mounts,
    layout,
    adminMenu,
    logger,
    admin: createSandboxAdmin(context),
    learning,
    contributors,
    findUser: (id, tx) => findUser(context, id, tx),
    findCredentials: (email) => findCredentials(context, email),
  };
}
