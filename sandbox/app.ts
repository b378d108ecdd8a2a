/*
 * The sandbox LMS: an Express 5 app with sign-in, a dashboard, item pages, admin pages with the
 * plugin's settings panels, and a development mailbox. The plugin is loaded through the same
 * contract a production host offers (sandbox/host.ts).
 */
import { createHmac } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ejs from 'ejs';
import express from 'express';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import session from 'express-session';
import type { Knex } from 'knex';
import passportPkg from 'passport';
import { Strategy as LocalStrategy } from 'passport-local';
import type { ClockPort, HostUser, HostV1, KnowledgeType, PluginOptions } from '../src/contract/index.js';
import { isKnowledgeType, knowledgeTypeLabel } from './knowledge.js';
import type { SandboxConfig } from './config.js';
import { createClock, createHost, createLogger, isAdmin, itemUrl, parseId } from './host.js';
import type { HostEventBus, ItemRow, MountRegistry, PanelRegistry, SandboxAdmin, SandboxClock, SandboxLogger } from './host.js';
import { DUMMY_HASH, verifyPassword } from './passwords.js';
import { loadPlugin as loadPluginFromManifest } from './plugin-loader.js';
import type { LoadedPlugin, LoadPluginOptions } from './plugin-loader.js';
import { KnexSessionStore } from './session-store.js';

const SANDBOX_DIR = path.dirname(fileURLToPath(import.meta.url));

/** The sandbox's own pages: the plugin may not mount over them. */
export const RESERVED_PATHS = ['/login', '/logout', '/items', '/admin/items', '/admin/portal', '/mailbox', '/static', '/healthz'] as const;

export interface SandboxOptions {
  knex: Knex;
  config: SandboxConfig;
  /** No console output (logs stay in `logger.entries`). */
  quiet?: boolean;
  /** Defaults to a real-time clock that tests may freeze with `clock.set(date)`. */
  clock?: SandboxClock;
  /** Session prune interval in ms (default 15 min; 0 disables). */
  sessionPruneIntervalMs?: number;
}

export interface Sandbox {
  app: express.Express;
  host: HostV1;
  config: SandboxConfig;
  events: HostEventBus;
  panels: PanelRegistry;
  mounts: MountRegistry;
  logger: SandboxLogger;
  clock: SandboxClock;
  /** Sandbox-side changes that raise user.updated / user.deleted / item.cloned / item.deleted. */
  admin: SandboxAdmin;
  sessionStore: KnexSessionStore;
  /** The loaded plugin, once `loadPlugin()` has resolved. */
  readonly plugin: LoadedPlugin | null;
  /** Loads plugin/manifest.json's entry (or `opts.entry`), registers and starts it. */
  loadPlugin(opts?: LoadPluginOptions & { options?: Partial<PluginOptions> }): Promise<void>;
  /** Stops the plugin (if loaded) and the session store's timer. The knex instance stays open. */
  close(): Promise<void>;
}

type PageRequest = Request & { user?: HostUser; logout(done: (error: unknown) => void): void };

/** Same-origin path only: `/x`, never `//host`, `/\host`, or anything with control characters. */
export function safeReturnTo(value: unknown): string | null {
  if (typeof value !== 'string' || value.length === 0 || value.length > 2000) return null;
  if (!value.startsWith('/') || value.startsWith('//') || value.startsWith('/\\')) return null;
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f\\]/.test(value)) return null;
  return value;
}

/** Splits plain text into text runs and http(s) links for escaped rendering. */
export function linkify(text: string): { text: string; href?: string }[] {
  const parts: { text: string; href?: string }[] = [];
  const re = /\bhttps?:\/\/[^\s<>"']+/g;
  let last = 0;
  for (const match of text.matchAll(re)) {
    let url = match[0];
    const trailing = /[.,;:!?)\]]+$/.exec(url);
    if (trailing) url = url.slice(0, -trailing[0].length);
    const start = match.index;
    if (start > last) parts.push({ text: text.slice(last, start) });
    parts.push({ text: url, href: url });
    last = start + url.length;
  }
  if (last < text.length) parts.push({ text: text.slice(last) });
  return parts;
}

const DB_UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'ENOTFOUND', 'EHOSTUNREACH', 'EPIPE', 'EAI_AGAIN',
  '57P01', '57P02', '57P03', '53300', '08000', '08001', '08003', '08004', '08006',
]);

/** True for errors that mean "the database is not reachable right now". */
export function isDatabaseUnavailable(error: unknown): boolean {
  if (!error || typeof error !== 'object') return false;
  const e = error as { code?: unknown; name?: unknown; message?: unknown; errors?: unknown };
  if (typeof e.code === 'string' && DB_UNAVAILABLE_CODES.has(e.code)) return true;
  if (e.name === 'KnexTimeoutError') return true;
  if (typeof e.message === 'string' && /Connection terminated|connection timeout|PGlite is closed|Client has encountered a connection error/i.test(e.message)) return true;
  if (Array.isArray(e.errors)) return e.errors.some(isDatabaseUnavailable); // AggregateError from net
  return false;
}

/** The plugin refused option values the sandbox took from its environment; the message names each variable. */
export class PluginConfigurationError extends Error {
  constructor(message: string, options: { cause: unknown }) {
    super(message, options);
    this.name = 'PluginConfigurationError';
  }
}

/**
 * A plugin's load error that mentions `options.<key>` for an option set from a variable becomes a
 * PluginConfigurationError whose message adds the variable: `options.digestHour (SELFREG_DIGEST_HOUR)`.
 */
export function namingVariables(error: unknown, variables: Readonly<Record<string, string>>): unknown {
  if (!(error instanceof Error)) return error;
  let named = false;
  const message = error.message.replace(/\boptions\.([A-Za-z][A-Za-z0-9]*)\b(?! \()/g, (match, key: string) => {
    const variable = Object.hasOwn(variables, key) ? variables[key] : undefined;
    if (variable === undefined) return match;
    named = true;
    return `${match} (${variable})`;
  });
  const alreadyNamed = Object.entries(variables).some(([key, variable]) => error.message.includes(`options.${key} (${variable})`));
  return named || alreadyNamed ? new PluginConfigurationError(message, { cause: error }) : error;
}

export async function createSandbox(opts: SandboxOptions): Promise<Sandbox> {
  const { knex, config } = opts;
  const logger = createLogger({ ...(opts.quiet !== undefined && { quiet: opts.quiet }) });
  const clock = opts.clock ?? createClock();
  const created = createHost({ knex, config, logger, clock: clock as ClockPort, reservedPaths: RESERVED_PATHS });
  const { host, panels, mounts, events, admin } = created;

  const secureCookies = config.publicBaseUrl.startsWith('https:');
  if (secureCookies && config.trustProxy === undefined) {
    logger.warn('PUBLIC_BASE_URL is https but TRUST_PROXY is unset: behind a TLS-terminating proxy the session cookie will not be set');
  }
  const sessionStore = new KnexSessionStore(knex, {
    ...(opts.sessionPruneIntervalMs !== undefined && { pruneIntervalMs: opts.sessionPruneIntervalMs }),
    onError: (error) => logger.warn('Session prune failed', { error }),
  });

  // ---- Authentication --------------------------------------------------------------------------
  const passport = new passportPkg.Passport();
  passport.use(new LocalStrategy({ usernameField: 'email', passwordField: 'password' }, (email, password, done) => {
    (async () => {
      const found = typeof email === 'string' && email.length <= 254 ? await created.findCredentials(email) : null;
      // Spend the same time on unknown emails as on known ones.
      const valid = await verifyPassword(String(password).slice(0, 1000), found?.passwordHash ?? DUMMY_HASH);
      if (!found || !valid || found.user.status !== 'active') return done(null, false);
      return done(null, found.user);
    })().catch((error: unknown) => done(error));
  }));
  passport.serializeUser((user, done) => done(null, (user as HostUser).id));
  passport.deserializeUser((id: unknown, done) => {
    created.findUser(String(id)).then(
      (user) => done(null, user && user.status === 'active' ? user : false),
      (error: unknown) => done(error),
    );
  });

  // ---- App -------------------------------------------------------------------------------------
  const app = express();
  app.disable('x-powered-by');
  if (config.trustProxy !== undefined) app.set('trust proxy', config.trustProxy);
  app.engine('ejs', ejs.renderFile as Parameters<typeof app.engine>[1]);
  app.set('view engine', 'ejs');
  app.set('views', path.join(SANDBOX_DIR, 'views'));

  app.use((_req, res, next) => {
    res.set({ 'X-Content-Type-Options': 'nosniff', 'Referrer-Policy': 'same-origin', 'X-Frame-Options': 'SAMEORIGIN' });
    next();
  });
  app.use('/static', express.static(path.join(SANDBOX_DIR, 'static'), { maxAge: '1h', index: false }));
  app.get('/healthz', async (_req, res) => {
    await knex.raw('select 1');
    res.type('text/plain').send('ok');
  });
  app.use(express.urlencoded({ extended: false, limit: '100kb' }));
  app.use(express.json({ limit: '100kb' }));
  app.use(session({
    name: 'sandbox.sid',
    // A key of its own, derived from the configured secret.
    secret: createHmac('sha256', config.secret).update('sandbox session cookie').digest('base64url'),
    store: sessionStore,
    resave: false,
    saveUninitialized: false,
    cookie: { httpOnly: true, sameSite: 'lax', secure: secureCookies, path: '/' },
  }));
  app.use(passport.initialize());
  app.use(passport.session());

  // ---- Helpers ---------------------------------------------------------------------------------
  const currentUser = (req: Request): HostUser | null => (req as PageRequest).user ?? null;

  async function render(req: Request, res: Response, view: string, locals: Record<string, unknown>, status = 200): Promise<void> {
    let portalName = config.portalName;
    try {
      portalName = (await host.portal.info()).name;
    } catch {
      // Keep the configured name: an error page must not depend on the database.
    }
    res.status(status).render(view, { portalName, user: currentUser(req), isAdmin: isAdmin(currentUser(req)), path: req.path, ...locals });
  }

  const errorPage = (req: Request, res: Response, status: number, title: string, message: string): Promise<void> =>
    render(req, res, 'error', { title, status, message }, status);

  const requireUser: RequestHandler = (req, res, next) => {
    if (currentUser(req)) return next();
    res.redirect(303, host.access.signInUrl(req.originalUrl));
  };

  const requireAdmin: RequestHandler = (req, res, next) => {
    const user = currentUser(req);
    if (!user) return res.redirect(303, host.access.signInUrl(req.originalUrl));
    if (!isAdmin(user)) return void errorPage(req, res, 403, 'Not allowed', 'This page is for portal admins.').catch(next);
    next();
  };

  const allowedOrigins = new Set([new URL(config.publicBaseUrl).origin]);
  /** Sandbox forms: a cross-origin POST (by Origin, else Referer) is refused. */
  const sameOrigin: RequestHandler = (req, res, next) => {
    const source = req.get('origin') ?? req.get('referer');
    if (!source) return next();
    let origin: string;
    try {
      origin = new URL(source).origin;
    } catch {
      origin = 'null';
    }
    const own = `${req.protocol}://${req.get('host') ?? ''}`;
    if (allowedOrigins.has(origin) || origin === own) return next();
    logger.warn('Cross-origin POST refused', { path: req.path, origin });
    void errorPage(req, res, 403, 'Not allowed', 'This form was sent from another site.').catch(next);
  };

  async function loadItem(typeParam: unknown, idParam: unknown): Promise<ItemRow | null> {
    if (!isKnowledgeType(typeParam) || typeof idParam !== 'string') return null;
    const id = parseId(idParam);
    if (id === null) return null;
    return (await knex<ItemRow>('sandbox_items').where({ id, type: typeParam }).first()) ?? null;
  }

  async function canOpen(user: HostUser, item: ItemRow): Promise<boolean> {
    if (isAdmin(user)) return true;
    const userId = Number(user.id);
    const direct = await knex('sandbox_enrolments').where({ user_id: userId, item_type: item.type, item_id: String(item.id) }).first('id');
    if (direct) return true;
    if (item.type !== 'topic') return false;
    // A topic is open to learners enrolled in a pathway that holds it.
    const viaPathway = await knex('sandbox_enrolments as e')
      .join('sandbox_pathway_topics as pt', knex.raw('pt.pathway_id::text = e.item_id'))
      .where({ 'e.user_id': userId, 'e.item_type': 'pathway', 'pt.topic_id': item.id })
      .first('e.id');
    return !!viaPathway;
  }

  const typeLabel = (type: KnowledgeType): string => knowledgeTypeLabel(type);

  // ---- Sign-in ---------------------------------------------------------------------------------
  app.get('/login', async (req, res) => {
    const returnTo = safeReturnTo(req.query.returnTo) ?? '/';
    if (currentUser(req)) return res.redirect(303, returnTo);
    await render(req, res, 'login', { title: 'Sign in', returnTo, email: '', error: null });
  });

  app.post('/login', sameOrigin, (req, res, next) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const returnTo = safeReturnTo(body.returnTo) ?? '/';
    const email = typeof body.email === 'string' ? body.email.slice(0, 254) : '';
    passport.authenticate('local', { session: false }, (error: unknown, user: HostUser | false) => {
      if (error) return next(error);
      if (!user) {
        return void render(req, res, 'login', { title: 'Sign in', returnTo, email, error: 'Email or password is incorrect.' }, 401).catch(next);
      }
      // passport 0.7 regenerates the session here (new session id).
      req.login(user, (loginError: unknown) => {
        if (loginError) return next(loginError);
        req.session.save((saveError: unknown) => (saveError ? next(saveError) : res.redirect(303, returnTo)));
      });
    })(req, res, next);
  });

  app.post('/logout', sameOrigin, (req, res, next) => {
    (req as PageRequest).logout((error: unknown) => (error ? next(error) : res.redirect(303, '/login')));
  });

  // ---- Learner pages ---------------------------------------------------------------------------
  app.get('/', requireUser, async (req, res) => {
    const user = currentUser(req)!;
    const rows = await knex('sandbox_enrolments as e')
      .join('sandbox_items as i', function joinItems() {
        this.on('i.type', '=', 'e.item_type').andOn(knex.raw('i.id::text = e.item_id'));
      })
      .where('e.user_id', Number(user.id))
      .orderBy('e.created_at', 'desc')
      .select('i.id', 'i.type', 'i.title', 'e.created_at as enrolled_at');
    const items = (rows as { id: number; type: KnowledgeType; title: string; enrolled_at: Date }[]).map((r) => ({
      title: r.title, typeLabel: typeLabel(r.type), url: itemUrl(r.type, r.id), enrolledAt: r.enrolled_at,
    }));
    await render(req, res, 'dashboard', { title: 'Dashboard', items });
  });

  app.get('/items/:type/:id', requireUser, async (req, res) => {
    const item = await loadItem(req.params.type, req.params.id);
    if (!item) return errorPage(req, res, 404, 'Not found', 'There is no such item.');
    const user = currentUser(req)!;
    if (!(await canOpen(user, item))) return errorPage(req, res, 403, 'Not enrolled', 'You are not enrolled in this item. Ask your portal admin for access.');
    const topics = item.type === 'pathway'
      ? (await knex('sandbox_pathway_topics as pt').join('sandbox_items as i', 'i.id', 'pt.topic_id')
          .where('pt.pathway_id', item.id).orderBy('pt.position').select('i.id', 'i.title'))
          .map((t: { id: number; title: string }) => ({ title: t.title, url: itemUrl('topic', t.id) }))
      : [];
    await render(req, res, 'item', { title: item.title, item, typeLabel: typeLabel(item.type), paragraphs: item.body.split(/\n{2,}/), topics });
  });

  // ---- Admin pages -----------------------------------------------------------------------------
  const NOTICES: Record<string, string> = { cloned: 'The item was cloned.', deleted: 'The item was deleted.', missing: 'That item no longer exists.' };

  app.get('/admin/items', requireAdmin, async (req, res) => {
    const rows = await knex<ItemRow>('sandbox_items').orderBy([{ column: 'type' }, { column: 'title' }]).select('*');
    const items = rows.map((r) => ({ ...r, typeLabel: typeLabel(r.type), url: itemUrl(r.type, r.id), base: `/admin/items/${r.type}/${r.id}` }));
    const notice = typeof req.query.done === 'string' ? NOTICES[req.query.done] ?? null : null;
    await render(req, res, 'admin-items', { title: 'Items', items, notice });
  });

  app.get('/admin/items/:type/:id/settings', requireAdmin, async (req, res) => {
    const row = await loadItem(req.params.type, req.params.id);
    if (!row) return errorPage(req, res, 404, 'Not found', 'There is no such item.');
    const item = (await host.catalogue.get({ type: row.type, id: String(row.id) }))!;
    const rendered = await panels.render('item.settings', { req, user: currentUser(req)!, item });
    await render(req, res, 'admin-item-settings', { title: `${row.title}: settings`, item: row, typeLabel: typeLabel(row.type), learnerUrl: item.learnerUrl, panels: rendered });
  });

  app.post('/admin/items/:type/:id/clone', sameOrigin, requireAdmin, async (req, res) => {
    const row = await loadItem(req.params.type, req.params.id);
    if (!row) return res.redirect(303, '/admin/items?done=missing');
    await admin.cloneItem({ type: row.type, id: String(row.id) });
    res.redirect(303, '/admin/items?done=cloned');
  });

  app.get('/admin/items/:type/:id/delete', requireAdmin, async (req, res) => {
    const row = await loadItem(req.params.type, req.params.id);
    if (!row) return errorPage(req, res, 404, 'Not found', 'There is no such item.');
    const enrolments = await knex('sandbox_enrolments').where({ item_type: row.type, item_id: String(row.id) }).count<{ n: string | number }[]>({ n: '*' });
    await render(req, res, 'admin-item-delete', { title: `Delete ${row.title}`, item: row, typeLabel: typeLabel(row.type), enrolments: Number(enrolments[0]?.n ?? 0) });
  });

  app.post('/admin/items/:type/:id/delete', sameOrigin, requireAdmin, async (req, res) => {
    const row = await loadItem(req.params.type, req.params.id);
    if (!row) return res.redirect(303, '/admin/items?done=missing');
    await admin.deleteItem({ type: row.type, id: String(row.id) });
    res.redirect(303, '/admin/items?done=deleted');
  });

  app.get('/admin/portal', requireAdmin, async (req, res) => {
    const info = await host.portal.info();
    const portal = await knex('sandbox_portal').where({ id: 1 }).first('seat_limit');
    const seatLimit = portal ? (portal.seat_limit as number | null) : config.seatLimit;
    const used = Number((await knex.raw('select count(*)::int as n from sandbox_users')).rows[0]?.n ?? 0);
    const rendered = await panels.render('portal.settings', { req, user: currentUser(req)! });
    await render(req, res, 'admin-portal', { title: 'Portal settings', info, seatLimit, seatsUsed: used, panels: rendered, canManagePortal: currentUser(req)!.role === 'super_admin' });
  });

  // ---- Development mailbox ---------------------------------------------------------------------
  app.get('/mailbox', async (req, res) => {
    const messages = await knex('sandbox_mailbox').orderBy('id', 'desc').limit(200).select('id', 'from', 'to', 'subject', 'created_at');
    await render(req, res, 'mailbox', { title: 'Mailbox', messages });
  });

  app.get('/mailbox/:id', async (req, res) => {
    const id = parseId(String(req.params.id));
    const message = id === null ? null : await knex('sandbox_mailbox').where({ id }).first();
    if (!message) return errorPage(req, res, 404, 'Not found', 'There is no such message.');
    const textParts = message.text ? linkify(String(message.text)) : [];
    // Links in the HTML part open in a new tab; the frame runs no scripts.
    let srcdoc: string | null = null;
    if (message.html) {
      const html = String(message.html);
      const doctype = /^\s*<!doctype[^>]*>/i.exec(html)?.[0] ?? '';
      srcdoc = `${doctype}<base target="_blank">${html.slice(doctype.length)}`;
    }
    await render(req, res, 'mailbox-message', { title: String(message.subject), message, textParts, srcdoc });
  });

  // ---- Plugin routes, 404, errors --------------------------------------------------------------
  app.use(mounts.dispatch);

  app.use(async (req, res) => {
    if (req.path.startsWith('/api/')) return void res.status(404).json({ error: { code: 'NOT_FOUND', message: 'Not found' } });
    await errorPage(req, res, 404, 'Page not found', 'There is nothing at this address.');
  });

  app.use((error: unknown, req: Request, res: Response, next: NextFunction) => {
    if (res.headersSent) {
      logger.error('Error after the response started', { method: req.method, path: req.path, error });
      return next(error);
    }
    const e = (error ?? {}) as { status?: unknown; statusCode?: unknown; expose?: unknown; stack?: unknown };
    const clientStatus = Number(e.status ?? e.statusCode);
    let status = 500;
    let title = 'Something went wrong';
    let message = 'Sorry, something went wrong on our side. Please try again in a moment.';
    if (isDatabaseUnavailable(error)) {
      status = 503;
      title = 'Temporarily unavailable';
      message = 'The service is temporarily unavailable. Please try again in a minute.';
      res.set('Retry-After', '30');
      logger.error('Database unavailable', { method: req.method, path: req.path, error });
    } else if (Number.isInteger(clientStatus) && clientStatus >= 400 && clientStatus < 500 && e.expose !== false) {
      status = clientStatus;
      title = status === 413 ? 'Too large' : 'Bad request';
      message = status === 413 ? 'What you sent is too large.' : 'The request could not be understood.';
      logger.warn('Bad request', { method: req.method, path: req.path, status });
    } else {
      logger.error('Unhandled error', { method: req.method, path: req.path, error, stack: typeof e.stack === 'string' ? e.stack : undefined });
    }
    if (req.path.startsWith('/api/')) return void res.status(status).json({ error: { code: status === 503 ? 'UNAVAILABLE' : 'ERROR', message } });
    // The error page renders without the database (render() falls back to the configured name).
    res.status(status);
    render(req, res, 'error', { title, status, message }, status).catch(() => {
      if (!res.headersSent) res.status(status).type('text/plain').send(message);
    });
  });

  // ---- Lifecycle -------------------------------------------------------------------------------
  let plugin: LoadedPlugin | null = null;
  let closed = false;

  return {
    app,
    host,
    config,
    events,
    panels,
    mounts,
    logger,
    clock,
    admin,
    sessionStore,
    get plugin() {
      return plugin;
    },
    async loadPlugin(loadOpts = {}) {
      if (plugin) throw new Error('The plugin is already loaded');
      const options: PluginOptions = {
        ...(config.pluginOptions as Partial<PluginOptions>),
        secret: config.secret,
        mailFrom: config.mailFrom,
        ...(config.smtpUrl !== undefined && { smtpUrl: config.smtpUrl }),
        ...(config.outboxPollMs !== undefined && { outboxPollMs: config.outboxPollMs }),
        ...loadOpts.options,
      };
      const { options: _ignored, ...where } = loadOpts;
      try {
        plugin = await loadPluginFromManifest(host, options, where);
      } catch (error) {
        // Options given explicitly (tests) keep their names; the rest came from variables.
        const fromVariables = Object.fromEntries(Object.entries(config.pluginVariables).filter(([key]) => !(key in (loadOpts.options ?? {}))));
        throw namingVariables(error, fromVariables);
      }
    },
    async close() {
      if (closed) return;
      closed = true;
      try {
        if (plugin) await plugin.instance.stop();
      } finally {
        plugin = null;
        sessionStore.close();
      }
    },
  };
}
