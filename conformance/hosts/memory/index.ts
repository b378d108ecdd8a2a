/*
 * The in-memory fake host: contract 1.1 (reports included) with its people, enrolments and learning
 * in maps, yet honouring the plugin's knex transaction (store.ts). The plugin still needs `database`
 * (its own selfreg_* tables), so the host is handed a knex on PostgreSQL or PGlite and keeps nothing of
 * its own there. The plugin's tests can use `createMemoryHost()` instead of hand-made fakes; the kit
 * runs it through `createHost` below.
 */
import type { Knex } from 'knex';
import type { DevMailboxPort, HostUser, HostV1, KnowledgeItem, KnowledgeRef, LoggerPort, UserType } from '../../../src/contract/index.js';
import type { HostFactory, ReportingControls } from '../../kit/types.js';
import { MemoryFilters } from './filters.js';
import { dataPorts, MemoryEvents } from './ports.js';
import { portsV11 } from './ports-v11.js';
import { memoryReports } from './reports.js';
import { enrolmentKey, MemoryStore, type StoredUser } from './store.js';
import { memoryWeb, type MemoryWeb } from './web.js';

export interface MemoryHostOptions {
  readonly knex: Knex;
  readonly publicBaseUrl?: string;
  /** Default: one that keeps its lines in `logged`. */
  readonly logger?: LoggerPort;
  /** Default: real time; tests may pass a clock they move. */
  readonly clock?: { now(): Date };
}

export interface MemoryHost {
  readonly host: HostV1;
  readonly app: MemoryWeb['app'];
  readonly store: MemoryStore;
  readonly items: Map<string, KnowledgeItem>;
  readonly events: MemoryEvents;
  /** The filter chains (`events.filter`) the self-enrolment catalogue asks. */
  readonly filters: MemoryFilters;
  readonly reporting: ReportingControls;
  /** Mail the plugin delivered without SMTP. */
  readonly mailbox: Parameters<DevMailboxPort['deliver']>[0][];
  readonly logged: { level: string; message: string }[];
  addUser(user: Omit<HostUser, 'id'> & { id?: string }): HostUser;
  addItem(item: Omit<KnowledgeItem, 'ref' | 'learnerUrl'> & { type: KnowledgeItem['ref']['type'] }): KnowledgeItem;
  /** Opens an item for self-enrolment to these user types (null closes it), as the host's catalogue admin does. */
  openItem(ref: KnowledgeRef, openTo: readonly UserType[] | null): void;
  /** Removes an enrolment as an admin or the learner does; `enrolment.deleted` follows. */
  removeEnrolment(userId: string, item: KnowledgeRef, by: 'admin' | 'learner'): Promise<void>;
}

export function createMemoryHost(opts: MemoryHostOptions): MemoryHost {
  const logged: { level: string; message: string }[] = [];
  const logger: LoggerPort = opts.logger ?? {
    info: (message) => void logged.push({ level: 'info', message }),
    warn: (message) => void logged.push({ level: 'warn', message }),
    error: (message) => void logged.push({ level: 'error', message }),
  };
  const clock = opts.clock ?? { now: () => new Date() };
  const store = new MemoryStore();
  const items = new Map<string, KnowledgeItem>();
  const events = new MemoryEvents(store, logger);
  const filters = new MemoryFilters(logger);
  const data = dataPorts(store, items, { info: { name: 'Memory Academy', primaryAdminEmail: 'owner@memory.example', publicBaseUrl: opts.publicBaseUrl ?? 'http://localhost', timeZone: 'Europe/Berlin' } }, events, clock);
  const v11 = portsV11(store, items, events, data.users.create.bind(data.users));
  const users = { ...data.users, ...v11.users };
  const enrolments = { ...data.enrolments, ...v11.enrolments };
  const web = memoryWeb({ store, users, enrolments, passwords: data.passwords, items, events, filters, clock });
  const reports = memoryReports(store, events, clock);
  const mailbox: MemoryHost['mailbox'] = [];
  let people = 0;
  let nextItem = 0;

  const host: HostV1 = {
    apiVersion: '1.1.0',
    database: opts.knex,
    users,
    enrolments,
    catalogue: { ...data.catalogue, getMany: v11.getMany },
    portal: data.portal,
    access: web.access,
    credentials: web.credentials,
    seats: data.seats,
    events: { on: (event, handler) => events.on(event, handler), filter: (name, handler, priority) => filters.filter(name, handler, priority) },
    panels: web.panels,
    http: web.http,
    logger,
    clock,
    devMailbox: { deliver: async (message) => void mailbox.push(message) },
    reports: reports.port,
    layout: web.frame.layout,
    adminMenu: web.frame.adminMenu,
  };

  return {
    host, app: web.app, store, items, events, filters, reporting: reports.controls, mailbox, logged,
    openItem(ref, openTo) {
      const item = items.get(ref.id);
      if (!item || item.ref.type !== ref.type) throw new Error(`No ${ref.type} ${ref.id}`);
      items.set(ref.id, { ...item, selfEnrolment: openTo && openTo.length > 0 ? { openTo: [...openTo] } : null });
    },
    async removeEnrolment(userId, item, by) {
      const { source, removed } = await store.unenrol(enrolmentKey(userId, item), undefined);
      if (removed) events.raise('enrolment.deleted', { userId, item: { type: item.type, id: item.id }, source, removedBy: by });
    },
    addUser(user) {
      people += 1;
      const stored: StoredUser = { ...user, id: user.id ?? `person${people}`, createdAt: clock.now() };
      store.updateUser(stored);
      const { createdAt: _c, ...plain } = stored;
      return plain;
    },
    addItem({ type, title, origin }) {
      nextItem += 1;
      const id = `${type}-${nextItem}`;
      const item: KnowledgeItem = { ref: { type, id }, title, origin, learnerUrl: `/learn/${type}/${id}`, selfEnrolment: null };
      items.set(id, item);
      return item;
    },
  };
}

/** The kit's factory for the memory host. */
export const createHost: HostFactory = async ({ knex, publicBaseUrl }) => {
  const memory = createMemoryHost({ knex, publicBaseUrl });
  return {
    name: 'memory',
    host: memory.host,
    profiles: ['seats', 'credentials', 'panels', 'reporting', 'frame', 'rules', 'quarantine'],
    app: memory.app,
    async makeUser({ type, email, role = null, status = 'active' }) {
      return memory.addUser({ type, role, status, email: email ?? `someone-${Math.random().toString(36).slice(2)}@memory.example`, firstName: 'Mem', lastName: 'Person' });
    },
    async makeItem({ type, origin, title }) {
      return memory.addItem({ type, origin, title: title ?? `A ${type}` });
    },
    async setSeatsLeft(n) {
      memory.store.seatLimit = n === null ? null : memory.store.users.size + n;
    },
    async raise(event, payload, tx) {
      if (!tx) return memory.events.emit(event, payload);
      memory.events.raise(event, payload, tx);
    },
    async signIn(visitor, user, password, signInUrl) {
      const { submitForm } = await import('../../kit/forms.js');
      const answer = await submitForm(visitor, signInUrl, { email: user.email, password });
      return { status: answer.status, location: answer.location };
    },
    panelPage: (slot, item) => (slot === 'portal.settings' ? '/settings/portal' : memory.host.access.itemSettingsUrl!(item!)),
    panelsIn(html) {
      return [...html.matchAll(/<article data-panel="([^"]*)"><h3>([\s\S]*?)<\/h3>([\s\S]*?)<\/article>(?=\n<article|<\/main>)/g)]
        .map((m) => ({ id: unescape(m[1]!), title: unescape(m[2]!), html: m[3]! }));
    },
    reporting: memory.reporting,
    rules: {
      startLearning: (userId, item) => memory.reporting.recordLearning(userId, item, { kind: 'started' }),
      removeEnrolment: (userId, item) => memory.removeEnrolment(userId, item, 'admin'),
    },
    quarantine: {
      openItem: async (item, openTo) => memory.openItem(item, openTo),
      async offeredTo(visitor) {
        return [...(await visitor.get('/catalogue')).text.matchAll(/<li data-item="([^"]*)">/g)].map((m) => unescape(m[1]!));
      },
      async enrolSelf(visitor, item) {
        const answer = await visitor.post(`/catalogue/${encodeURIComponent(item.type)}/${encodeURIComponent(item.id)}/enrol`);
        return { status: answer.status, text: answer.text };
      },
    },
    frame: {
      /** The links of the layout's <nav class="memory-nav"> on the home page, as the visitor sees it. */
      async menuEntriesFor(visitor) {
        const nav = /<nav class="memory-nav"[^>]*>([\s\S]*?)<\/nav>/.exec((await visitor.get('/')).text)?.[1] ?? '';
        return [...nav.matchAll(/<a href="([^"]*)">([\s\S]*?)<\/a>/g)].map((m) => ({ label: unescape(m[2]!), href: unescape(m[1]!) }));
      },
      framedIn: (html) => html.includes('<header class="memory-layout">'),
    },
    dispose: async () => undefined,
  };
};

const unescape = (s: string): string => s.replace(/&#(\d+);/g, (_m, n: string) => String.fromCharCode(Number(n)));
