/*
 * Campus: a second, small host LMS built unlike the sandbox, to prove the contract does not lean on
 * how the sandbox is written: UUID ids and its own table names, hand-rolled sessions in a table (no
 * express-session, no passport), a router table instead of a mount list, panels in its own markup,
 * events through a table delivered after commit, seats as a counter row. It implements contract
 * 1.1.0 without reports or the admin frame: the plugin loads and tells it which features stay off.
 * Of 1.1 it offers the lookups, a registration as one statement of its own, memberships with their
 * source (enrolment rules) and a filter board asked by its course catalogue (the quarantine).
 */
import type { Knex } from 'knex';
import type { AccessControlPort, CredentialsPort, HostV1, KnowledgeRef, LoggerPort } from '../../src/contract/index.js';
import { campusApp, CAMPUS_PATHS } from './app.js';
import { campusData } from './data-ports.js';
import { campusEnrolments } from './enrolment-ports.js';
import { EventOutbox } from './event-outbox.js';
import { FilterBoard } from './filters.js';
import { PanelShelf } from './panels.js';
import { RouterTable } from './router-table.js';
import { migrateCampus } from './schema.js';
import { SessionTable, sessionOf } from './sessions.js';

export interface CampusOptions {
  readonly knex: Knex;
  readonly publicBaseUrl: string;
  readonly logger?: LoggerPort;
}

export interface Campus {
  readonly host: HostV1;
  readonly app: ReturnType<typeof campusApp>;
  readonly events: EventOutbox;
  readonly logged: { level: string; message: string }[];
  /** A manager removing someone from a course, or the learner leaving it (enrolment.deleted follows). */
  leaveCourse(userId: string, item: KnowledgeRef, by: 'admin' | 'learner'): Promise<boolean>;
  close(): Promise<void>;
}

export async function createCampus(opts: CampusOptions): Promise<Campus> {
  const { knex } = opts;
  await migrateCampus(knex);
  const base = opts.publicBaseUrl.replace(/\/$/, '');
  const logged: Campus['logged'] = [];
  const logger: LoggerPort = opts.logger ?? {
    info: (message) => void logged.push({ level: 'info', message }),
    warn: (message) => void logged.push({ level: 'warn', message }),
    error: (message) => void logged.push({ level: 'error', message }),
  };
  const clock = { now: () => new Date() };
  const events = new EventOutbox(knex, logger);
  const data = campusData(knex, events, clock, { name: 'Campus', primaryAdminEmail: 'dean@campus.example', publicBaseUrl: base, timeZone: 'America/Toronto' });
  const v11 = campusEnrolments(knex, events, clock);
  const users = { ...data.users, ...v11.users };
  const enrolments = { ...data.enrolments, ...v11.enrolments };
  const filters = new FilterBoard(logger);
  const sessions = new SessionTable(knex, base.startsWith('https:'));
  const panels = new PanelShelf(logger);
  const routes = new RouterTable(CAMPUS_PATHS);

  const access: AccessControlPort = {
    async currentUser(req) {
      const personId = sessionOf(req)?.personId;
      const user = personId ? await data.users.findById(personId) : null;
      return user?.status === 'active' ? user : null;
    },
    sessionKey: (req) => sessionOf(req)?.id ?? null,
    // Absolute, under the public base URL: the contract allows it, and the plugin must follow it.
    signInUrl: (returnTo) => `${base}/account/login?then=${encodeURIComponent(returnTo)}`,
    itemSettingsUrl: (item) => `/manage/courses/${encodeURIComponent(item.id)}`,
    portalSettingsUrl: () => '/manage/settings',
  };
  const credentials: CredentialsPort = {
    setPassword: (userId, password, tx) => data.passwords.setPassword(userId, password, tx),
    async signIn(req, res, userId) {
      const user = await data.users.findById(userId);
      if (!user || user.status !== 'active') throw new Error('Campus cannot sign that person in');
      await sessions.start(req, res, userId);
    },
  };

  const host: HostV1 = {
    apiVersion: '1.1.0',
    database: knex,
    users,
    enrolments,
    catalogue: data.catalogue,
    portal: data.portal,
    access,
    credentials,
    seats: data.seats,
    events: { on: (event, handler) => events.on(event, handler), filter: (filter, handler, priority) => filters.join(filter, handler, priority) },
    panels,
    http: routes,
    logger,
    clock,
  };
  const app = campusApp({ knex, users, catalogue: data.catalogue, enrolments, filters, access, sessions, panels, routes, events, logger, now: clock.now });
  return { host, app, events, logged, leaveCourse: v11.leave, close: () => events.close() };
}
