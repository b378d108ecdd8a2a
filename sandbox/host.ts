/*
 * The sandbox's implementation of host contract v1 (src/contract/) over the `sandbox_*` tables.
 * Every port that accepts a transaction runs its statements on it; ids cross the boundary as
 * strings; events are raised only after the change that caused them has committed.
 */
import express from 'express';
import type { Request, RequestHandler, Response, Router } from 'express';
import type { Knex } from 'knex';
import { HOST_API_VERSION } from '../src/contract/index.js';
import type {
  ClockPort, DevMailboxPort, HostEventHandler, HostEventName, HostEventPayloads, HostUser, HostV1, KnowledgeItem,
  KnowledgeRef, KnowledgeType, LoggerPort, MountKind, Mounted, PanelContext, PanelDefinition, PanelSlot, PortalInfo,
} from '../src/contract/index.js';
import { HOST_EVENTS } from '../src/contract/index.js';
import type { Tx } from '../src/contract/index.js';
import { USER_TYPES } from '../src/contract/index.js';
import { isKnowledgeType } from './knowledge.js';
import type { SandboxConfig } from './config.js';
import { checkPasswordPolicy, hashPassword } from './passwords.js';

/** What passport adds to a request (typed here so this module does not depend on its globals). */
type PassportRequest = Request & {
  user?: unknown;
  isAuthenticated?: () => boolean;
  login(user: unknown, done: (error: unknown) => void): void;
};

export const SEAT_LOCK_KEY = 727001;
export const EVENT_TIMEOUT_MS = 5000;

// ---------------------------------------------------------------------------------------------
// Rows and mapping

export interface UserRow {
  id: number;
  email: string;
  first_name: string;
  last_name: string;
  type: HostUser['type'];
  role: HostUser['role'];
  status: HostUser['status'];
  password_hash: string | null;
  created_at: Date;
}

export interface ItemRow {
  id: number;
  type: KnowledgeType;
  title: string;
  body: string;
  origin: 'own' | 'library';
  created_at: Date;
}

export const toHostUser = (row: UserRow): HostUser => ({
  id: String(row.id),
  email: row.email,
  firstName: row.first_name,
  lastName: row.last_name,
  type: row.type,
  role: row.role ?? null,
  status: row.status,
});

export const itemUrl = (type: KnowledgeType, id: string | number): string => `/items/${type}/${id}`;

export const toKnowledgeItem = (row: ItemRow): KnowledgeItem => ({
  ref: { type: row.type, id: String(row.id) },
  title: row.title,
  origin: row.origin,
  learnerUrl: itemUrl(row.type, row.id),
});

/** DB ids are positive integers; anything else can match nothing. */
export function parseId(id: string): number | null {
  if (!/^\d{1,9}$/.test(id)) return null;
  const n = Number(id);
  return n >= 1 ? n : null;
}

export const isAdmin = (user: HostUser | null | undefined): boolean =>
  !!user && user.status === 'active' && (user.role === 'super_admin' || user.role === 'standard_admin');

// ---------------------------------------------------------------------------------------------
// Logger and clock

export interface LogEntry {
  level: 'info' | 'warn' | 'error';
  message: string;
  context?: Record<string, unknown>;
  at: Date;
}

export interface SandboxLogger extends LoggerPort {
  /** The last 200 entries, kept even when quiet (tests assert on them). */
  readonly entries: LogEntry[];
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value, (_key, v: unknown) => (v instanceof Error ? { name: v.name, message: v.message, code: (v as { code?: unknown }).code } : v));
  } catch {
    return '"[unserialisable context]"';
  }
}

export function createLogger(opts: { quiet?: boolean } = {}): SandboxLogger {
  const entries: LogEntry[] = [];
  const log = (level: LogEntry['level'], message: string, context?: Record<string, unknown>): void => {
    entries.push({ level, message, at: new Date(), ...(context && { context }) });
    if (entries.length > 200) entries.shift();
    if (opts.quiet) return;
    const line = `${new Date().toISOString()} ${level.toUpperCase().padEnd(5)} ${message}${context ? ` ${safeJson(context)}` : ''}`;
    if (level === 'error') console.error(line);
    else if (level === 'warn') console.warn(line);
    else console.log(line);
  };
  return {
    entries,
    info: (m, c) => log('info', m, c),
    warn: (m, c) => log('warn', m, c),
    error: (m, c) => log('error', m, c),
  };
}

/** A clock tests can move: `set(date)` freezes it, `set(null)` returns to real time. */
export interface SandboxClock extends ClockPort {
  set(date: Date | null): void;
}

export function createClock(): SandboxClock {
  let frozen: Date | null = null;
  return {
    now: () => (frozen ? new Date(frozen.getTime()) : new Date()),
    set: (date) => {
      frozen = date ? new Date(date.getTime()) : null;
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Events

type AnyHandler = (payload: unknown) => Promise<void> | void;

export class HostEventBus {
  private readonly handlers = new Map<HostEventName, AnyHandler[]>();

  constructor(private readonly logger: LoggerPort, private readonly timeoutMs = EVENT_TIMEOUT_MS) {}

  on<E extends HostEventName>(event: E, handler: HostEventHandler<E>): () => void {
    if (!(HOST_EVENTS as readonly string[]).includes(event)) throw new TypeError(`Unknown host event "${String(event)}"`);
    if (typeof handler !== 'function') throw new TypeError('An event handler must be a function');
    const wrapped = handler as AnyHandler;
    const list = this.handlers.get(event) ?? [];
    list.push(wrapped);
    this.handlers.set(event, list);
    return () => {
      const current = this.handlers.get(event);
      const index = current?.indexOf(wrapped) ?? -1;
      if (current && index >= 0) current.splice(index, 1);
    };
  }

  listenerCount(event: HostEventName): number {
    return this.handlers.get(event)?.length ?? 0;
  }

  /** Runs every handler in turn, each under the timeout; errors are logged, never thrown. */
  async emit<E extends HostEventName>(event: E, payload: HostEventPayloads[E]): Promise<void> {
    for (const handler of [...(this.handlers.get(event) ?? [])]) {
      let timer: NodeJS.Timeout | undefined;
      try {
        await Promise.race([
          Promise.resolve().then(() => handler(payload)),
          new Promise<never>((_resolve, reject) => {
            timer = setTimeout(() => reject(new Error(`Handler timed out after ${this.timeoutMs} ms`)), this.timeoutMs);
            timer.unref();
          }),
        ]);
      } catch (error) {
        this.logger.error(`Event handler for ${event} failed`, { event, error });
      } finally {
        if (timer) clearTimeout(timer);
      }
    }
  }

  /**
   * Emits once `tx` (and every transaction it is nested in) has committed; never when one rolls
   * back. Without a transaction it emits now. Returns when the handlers have run (or been skipped).
   */
  emitAfterCommit<E extends HostEventName>(tx: Tx | undefined, event: E, payload: HostEventPayloads[E]): Promise<void> {
    if (!tx) return this.emit(event, payload);
    return afterCommit(tx).then(
      (committed) => (committed ? this.emit(event, payload) : undefined),
      (error: unknown) => this.logger.error(`Could not wait for the commit before ${event}`, { error }),
    );
  }
}

type Transactor = { executionPromise?: Promise<unknown>; parentTransaction?: Transactor };

/** Resolves true once the transaction and all its parents commit, false if any rolls back. */
async function afterCommit(tx: Tx): Promise<boolean> {
  let current: Transactor | undefined = tx as Transactor;
  const chain: Promise<unknown>[] = [];
  while (current) {
    if (current.executionPromise) chain.push(current.executionPromise);
    current = current.parentTransaction;
  }
  for (const done of chain) {
    try {
      await done;
    } catch {
      return false;
    }
  }
  return true;
}

// ---------------------------------------------------------------------------------------------
// Panels

export interface RenderedPanel {
  id: string;
  title: string;
  html: string;
}

export class PanelRegistry {
  private readonly bySlot = new Map<PanelSlot, Map<string, PanelDefinition>>();

  constructor(private readonly logger: LoggerPort) {}

  register(panel: PanelDefinition): () => void {
    if (panel.slot !== 'item.settings' && panel.slot !== 'portal.settings') throw new TypeError(`Unknown panel slot "${String(panel.slot)}"`);
    if (!panel.id || typeof panel.render !== 'function') throw new TypeError('A panel needs an id and a render function');
    const slot = this.bySlot.get(panel.slot) ?? new Map<string, PanelDefinition>();
    if (slot.has(panel.id)) this.logger.warn('Panel registered again: replacing it', { slot: panel.slot, id: panel.id });
    slot.delete(panel.id);
    slot.set(panel.id, panel);
    this.bySlot.set(panel.slot, slot);
    return () => {
      // A stale unregister (after the same id was registered again) leaves the newer panel alone.
      if (slot.get(panel.id) === panel) slot.delete(panel.id);
    };
  }

  list(slot: PanelSlot): PanelDefinition[] {
    return [...(this.bySlot.get(slot)?.values() ?? [])];
  }

  /** Renders every panel of a slot; a failing panel shows a notice instead of breaking the page. */
  async render(slot: PanelSlot, ctx: PanelContext): Promise<RenderedPanel[]> {
    const out: RenderedPanel[] = [];
    for (const panel of this.list(slot)) {
      try {
        const html = await panel.render(ctx);
        if (html !== null && html !== undefined) out.push({ id: panel.id, title: panel.title, html: String(html) });
      } catch (error) {
        this.logger.error('Panel failed to render', { slot, id: panel.id, error });
        out.push({ id: panel.id, title: panel.title, html: '<p class="notice notice-error">This panel could not be displayed. The error has been logged.</p>' });
      }
    }
    return out;
  }
}

// ---------------------------------------------------------------------------------------------
// HTTP mounts

interface MountEntry {
  path: string;
  kind: MountKind;
  handler: Router;
}

const MOUNT_PATH_RE = /^(?:\/[A-Za-z0-9._~-]+)+$/;

export class MountRegistry {
  private entries: MountEntry[] = [];

  constructor(private readonly logger: LoggerPort, private readonly reserved: readonly string[] = []) {}

  mount(path: string, router: Router, kind: MountKind): Mounted {
    if (!MOUNT_PATH_RE.test(path)) throw new TypeError(`Mount path must look like /a/b (letters, digits, . _ ~ -), got "${path}"`);
    if (kind !== 'public' && kind !== 'admin' && kind !== 'api') throw new TypeError(`Unknown mount kind "${String(kind)}"`);
    if (typeof router !== 'function') throw new TypeError('mount() needs an Express router');
    const clash = this.reserved.find((r) => underPath(path, r) || underPath(r, path));
    if (clash) throw new Error(`Mount path ${path} overlaps the host's own ${clash}`);
    const previous = this.entries.find((e) => e.path === path);
    if (previous) {
      this.logger.warn('Path mounted again: replacing the previous router', { path });
      this.entries = this.entries.filter((e) => e !== previous);
    }
    const entry: MountEntry = { path, kind, handler: express.Router().use(path, router) };
    this.entries = [...this.entries, entry];
    this.logger.info('Mounted', { path, kind });
    return {
      unmount: () => {
        if (!this.entries.includes(entry)) return;
        this.entries = this.entries.filter((e) => e !== entry);
        this.logger.info('Unmounted', { path, kind });
      },
    };
  }

  list(): { path: string; kind: MountKind }[] {
    return this.entries.map(({ path, kind }) => ({ path, kind }));
  }

  /** The one middleware the app installs: routes to whatever is mounted now. */
  readonly dispatch: RequestHandler = (req, res, next) => {
    const candidates = this.entries.filter((e) => underPath(req.path, e.path));
    let index = 0;
    const step = (error?: unknown): void => {
      if (error !== undefined && error !== null && error !== 'route' && error !== 'router') return next(error);
      const entry = candidates[index++];
      if (!entry) return next();
      if (!this.entries.includes(entry)) return step();
      entry.handler(req, res, step);
    };
    step();
  };
}

/** True when `path` is `base` or below it on a segment boundary. */
export function underPath(path: string, base: string): boolean {
  if (base === '/') return true;
  return path === base || path.startsWith(`${base}/`);
}

// ---------------------------------------------------------------------------------------------
// The host

export interface HostDeps {
  knex: Knex;
  config: Pick<SandboxConfig, 'publicBaseUrl' | 'portalName' | 'adminEmail' | 'timeZone' | 'seatLimit'>;
  logger?: SandboxLogger;
  clock?: ClockPort;
  quiet?: boolean;
  /** Paths the plugin may not mount over (the sandbox's own pages). */
  reservedPaths?: readonly string[];
}

/** Sandbox-side changes that raise host events (pages and tests use them). */
export interface SandboxAdmin {
  cloneItem(ref: KnowledgeRef): Promise<KnowledgeRef | null>;
  deleteItem(ref: KnowledgeRef): Promise<boolean>;
  updateUser(userId: string, patch: Partial<Pick<HostUser, 'email' | 'firstName' | 'lastName' | 'role' | 'status'>>): Promise<HostUser | null>;
  deleteUser(userId: string): Promise<boolean>;
}

export interface CreatedHost {
  host: HostV1;
  events: HostEventBus;
  panels: PanelRegistry;
  mounts: MountRegistry;
  logger: SandboxLogger;
  admin: SandboxAdmin;
  findUser(id: string, tx?: Tx): Promise<HostUser | null>;
  /** Email + password hash for the sign-in strategy. */
  findCredentials(email: string): Promise<{ user: HostUser; passwordHash: string | null } | null>;
}

export function createHost(deps: HostDeps): CreatedHost {
  const { knex, config } = deps;
  const logger = deps.logger ?? createLogger({ ...(deps.quiet !== undefined && { quiet: deps.quiet }) });
  const clock = deps.clock ?? { now: () => new Date() };
  const events = new HostEventBus(logger);
  const panels = new PanelRegistry(logger);
  const mounts = new MountRegistry(logger, deps.reservedPaths ?? []);

  /** Statements run on the caller's transaction when there is one. */
  const db = (tx?: Tx): Knex => (tx as Knex.Transaction | undefined) ?? knex;

  async function findUser(id: string, tx?: Tx): Promise<HostUser | null> {
    const n = parseId(id);
    if (n === null) return null;
    const row = await db(tx)<UserRow>('sandbox_users').where({ id: n }).first();
    return row ? toHostUser(row) : null;
  }

  async function findUserByEmail(email: string, tx?: Tx): Promise<HostUser | null> {
    const row = await db(tx)<UserRow>('sandbox_users').whereRaw('lower(email) = lower(?)', [email.trim()]).first();
    return row ? toHostUser(row) : null;
  }

  async function getItem(ref: KnowledgeRef, tx?: Tx): Promise<ItemRow | null> {
    const n = parseId(ref.id);
    if (n === null || !isKnowledgeType(ref.type)) return null;
    const row = await db(tx)<ItemRow>('sandbox_items').where({ id: n, type: ref.type }).first();
    return row ?? null;
  }

  async function seatLimit(tx?: Tx): Promise<number | null> {
    const row = await db(tx)('sandbox_portal').where({ id: 1 }).first('seat_limit');
    return row ? (row.seat_limit as number | null) : config.seatLimit;
  }

  async function userCount(tx?: Tx): Promise<number> {
    const row = await db(tx).raw('select count(*)::int as n from sandbox_users');
    return Number((row.rows as { n: number }[])[0]?.n ?? 0);
  }

  const devMailbox: DevMailboxPort = {
    async deliver(message) {
      await knex('sandbox_mailbox').insert({
        message_id: message.messageId,
        from: message.from,
        to: message.to,
        subject: message.subject,
        raw: message.raw,
        html: message.html ?? null,
        text: message.text ?? null,
        created_at: clock.now(),
      });
      logger.info('Mail delivered to the sandbox mailbox', { to: message.to, subject: message.subject });
    },
  };

  const host: HostV1 = {
    apiVersion: HOST_API_VERSION,
    database: knex,

    users: {
      findById: findUser,
      findByEmail: findUserByEmail,
      /** Optional port method: every user holding `role` (the plugin mails seat-limit alerts to Super admins). */
      async listAdmins(role, tx) {
        const rows = await db(tx)<UserRow>('sandbox_users').where({ role }).orderBy('id');
        return rows.map(toHostUser);
      },
      async create(input, tx) {
        if (!(USER_TYPES as readonly string[]).includes(input.type)) throw new TypeError(`Unknown user type "${String(input.type)}"`);
        const email = input.email.trim();
        if (!email || !input.firstName || !input.lastName) throw new TypeError('A user needs an email, a first name and a last name');
        const [row] = await db(tx)<UserRow>('sandbox_users')
          .insert({ email, first_name: input.firstName, last_name: input.lastName, type: input.type, role: null, status: 'active', password_hash: null, created_at: clock.now() })
          .returning('*');
        const user = toHostUser(row as UserRow);
        void events.emitAfterCommit(tx, 'user.created', { user });
        return user;
      },
    },

    enrolments: {
      async enrol(userId, item, tx) {
        const n = parseId(userId);
        if (n === null) throw new TypeError(`Invalid user id "${userId}"`);
        if (!isKnowledgeType(item.type)) throw new TypeError(`Invalid item type "${String(item.type)}"`);
        const rows = await db(tx)('sandbox_enrolments')
          .insert({ user_id: n, item_type: item.type, item_id: item.id, source: 'self-registration', created_at: clock.now() })
          .onConflict(['user_id', 'item_type', 'item_id'])
          .ignore()
          .returning('id');
        const created = rows.length > 0;
        if (created) void events.emitAfterCommit(tx, 'enrolment.created', { userId: String(n), item: { type: item.type, id: item.id } });
        return { created };
      },
      async isEnrolled(userId, item, tx) {
        const n = parseId(userId);
        if (n === null) return false;
        const row = await db(tx)('sandbox_enrolments').where({ user_id: n, item_type: item.type, item_id: item.id }).first('id');
        return !!row;
      },
    },

    catalogue: {
      async get(ref, tx) {
        const row = await getItem(ref, tx);
        return row ? toKnowledgeItem(row) : null;
      },
      async list(filter) {
        const query = knex<ItemRow>('sandbox_items').orderBy('id');
        if (filter?.type) query.where({ type: filter.type });
        return (await query).map(toKnowledgeItem);
      },
      /** The sandbox has no report pages: admins see an item's tokens and uses on its Settings tab. */
      async reportUrl(ref) {
        return isKnowledgeType(ref.type) && parseId(ref.id) !== null ? `/admin/items/${ref.type}/${ref.id}/settings` : null;
      },
    },

    portal: {
      async info(): Promise<PortalInfo> {
        const row = await knex('sandbox_portal').where({ id: 1 }).first();
        return {
          name: (row?.name as string | undefined) ?? config.portalName,
          primaryAdminEmail: (row?.primary_admin_email as string | undefined) ?? config.adminEmail,
          publicBaseUrl: config.publicBaseUrl,
          timeZone: (row?.time_zone as string | undefined) ?? config.timeZone,
        };
      },
    },

    access: {
      async currentUser(req: Request) {
        const preq = req as PassportRequest;
        if (!preq.isAuthenticated?.()) return null;
        const id = (preq.user as HostUser | undefined)?.id;
        if (!id) return null;
        const user = await findUser(id);
        return user && user.status === 'active' ? user : null;
      },
      /**
       * `req.sessionID` whenever the session middleware ran. The store keeps sessions only once
       * something is written to them (saveUninitialized: false), so a signed-out visitor's key
       * is stable only after the plugin has stored something in `req.session` (e.g. its CSRF seed).
       */
      sessionKey(req: Request) {
        const withSession = req as Request & { session?: unknown; sessionID?: string };
        return withSession.session && withSession.sessionID ? withSession.sessionID : null;
      },
      signInUrl(returnTo: string) {
        return `/login?returnTo=${encodeURIComponent(returnTo)}`;
      },
      itemSettingsUrl(item: KnowledgeRef) {
        return `/admin/items/${encodeURIComponent(item.type)}/${encodeURIComponent(item.id)}/settings`;
      },
      portalSettingsUrl() {
        return '/admin/portal';
      },
    },

    credentials: {
      async setPassword(userId, password, tx) {
        if (typeof password !== 'string') return { ok: false, message: 'Enter a password.' };
        const policy = checkPasswordPolicy(password);
        if (!policy.ok) return policy;
        const n = parseId(userId);
        if (n === null) return { ok: false, message: 'This account no longer exists.' };
        const hash = await hashPassword(password);
        const updated = await db(tx)('sandbox_users').where({ id: n }).update({ password_hash: hash });
        if (updated === 0) return { ok: false, message: 'This account no longer exists.' };
        return { ok: true };
      },
      /** Call after the transaction that created the user has committed (it reads outside it). */
      async signIn(req: Request, _res: Response, userId: string) {
        const user = await findUser(userId);
        if (!user) throw new Error('Cannot sign in: no such user');
        if (user.status !== 'active') throw new Error('Cannot sign in: the account is suspended');
        await new Promise<void>((resolve, reject) => (req as PassportRequest).login(user, (error: unknown) => (error ? reject(error) : resolve())));
        await new Promise<void>((resolve, reject) => req.session.save((error: unknown) => (error ? reject(error) : resolve())));
      },
    },

    seats: {
      async available(tx) {
        const limit = await seatLimit(tx);
        if (limit === null) return null;
        return Math.max(0, limit - (await userCount(tx)));
      },
      async claim(tx) {
        if (!tx) throw new TypeError('seats.claim needs the transaction that creates the user');
        const trx = db(tx);
        // An unlimited subscription has nothing to count, so nothing to serialise.
        if ((await seatLimit(tx)) === null) return true;
        // Serialises concurrent claims until this transaction ends (PostgreSQL and PGlite alike); the
        // limit is read again under the lock, in case it changed meanwhile.
        await trx.raw('select pg_advisory_xact_lock(?)', [SEAT_LOCK_KEY]);
        const limit = await seatLimit(tx);
        if (limit === null) return true;
        return (await userCount(tx)) < limit;
      },
    },

    events: { on: (event, handler) => events.on(event, handler) },
    panels: { register: (panel) => panels.register(panel) },
    http: { mount: (path, router, kind) => mounts.mount(path, router, kind) },
    logger,
    clock,
    devMailbox,
  };

  const admin: SandboxAdmin = {
    async cloneItem(ref) {
      let clone: KnowledgeRef | null = null;
      await knex.transaction(async (trx) => {
        const source = await getItem(ref, trx);
        if (!source) return;
        const [row] = await trx<ItemRow>('sandbox_items')
          .insert({ type: source.type, title: `${source.title} (copy)`, body: source.body, origin: source.origin, created_at: clock.now() })
          .returning('*');
        const created = row as ItemRow;
        if (source.type === 'pathway') {
          const topics = await trx('sandbox_pathway_topics').where({ pathway_id: source.id }).select('topic_id', 'position');
          if (topics.length > 0) {
            await trx('sandbox_pathway_topics').insert(topics.map((t: { topic_id: number; position: number }) => ({ pathway_id: created.id, topic_id: t.topic_id, position: t.position })));
          }
        }
        clone = { type: created.type, id: String(created.id) };
      });
      if (clone) await events.emit('item.cloned', { source: { type: ref.type, id: ref.id }, clone });
      return clone;
    },
    async deleteItem(ref) {
      const deleted = await knex.transaction(async (trx) => {
        const source = await getItem(ref, trx);
        if (!source) return false;
        await trx('sandbox_enrolments').where({ item_type: source.type, item_id: String(source.id) }).delete();
        await trx('sandbox_pathway_topics').where({ pathway_id: source.id }).orWhere({ topic_id: source.id }).delete();
        await trx('sandbox_items').where({ id: source.id }).delete();
        return true;
      });
      if (deleted) await events.emit('item.deleted', { item: { type: ref.type, id: ref.id } });
      return deleted;
    },
    async updateUser(userId, patch) {
      const n = parseId(userId);
      if (n === null) return null;
      const before = await findUser(userId);
      if (!before) return null;
      const changes: Record<string, unknown> = {};
      if (patch.email !== undefined) changes.email = patch.email.trim();
      if (patch.firstName !== undefined) changes.first_name = patch.firstName;
      if (patch.lastName !== undefined) changes.last_name = patch.lastName;
      if (patch.role !== undefined) changes.role = patch.role;
      if (patch.status !== undefined) changes.status = patch.status;
      if (Object.keys(changes).length === 0) return before;
      const [row] = await knex<UserRow>('sandbox_users').where({ id: n }).update(changes).returning('*');
      const user = toHostUser(row as UserRow);
      const emailChanged = user.email.toLowerCase() !== before.email.toLowerCase();
      await events.emit('user.updated', { user, ...(emailChanged && { previousEmail: before.email }) });
      return user;
    },
    async deleteUser(userId) {
      const n = parseId(userId);
      if (n === null) return false;
      // `returning`: knex-pglite answers a bare delete with the raw result instead of a count.
      const rows = await knex('sandbox_users').where({ id: n }).delete().returning('id');
      if (rows.length > 0) await events.emit('user.deleted', { userId: String(n) });
      return rows.length > 0;
    },
  };

  async function findCredentials(email: string) {
    const row = await knex<UserRow>('sandbox_users').whereRaw('lower(email) = lower(?)', [email.trim()]).first();
    return row ? { user: toHostUser(row), passwordHash: row.password_hash } : null;
  }

  return { host, events, panels, mounts, logger, admin, findUser, findCredentials };
}
