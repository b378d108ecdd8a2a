/*
 * The memory host's web side: one Express app with sessions of its own (a random id in an HttpOnly
 * cookie, the session in a map, a new id at every sign-in), a sign-in page, two settings pages that
 * show the registered panels, the mounted routers (looked up per request, so unmounting is
 * immediate), a 404 and one generic error handler.
 */
import { randomBytes } from 'node:crypto';
import express from 'express';
import type { ErrorRequestHandler, Request, RequestHandler, Response, Router } from 'express';
import type { AccessControlPort, ClockPort, CredentialsPort, EnrolmentsPort, HttpPort, KnowledgeItem, PanelDefinition, PanelSlot, PanelsPort, PasswordsPort, UsersPort } from '../../../src/contract/index.js';
import { catalogueRoutes } from './catalogue-web.js';
import type { MemoryFilters } from './filters.js';
import { memoryLayout, type MemoryLayout } from './layout.js';
import type { MemoryEvents } from './ports.js';
import { verifyPassword } from './ports.js';
import type { MemoryStore } from './store.js';

const COOKIE = 'mem.sid';
type SessionRequest = Request & { memSession?: { id: string; userId: string | null } };

const esc = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const localPath = (v: unknown): string => (typeof v === 'string' && /^\/(?![/\\])[^\\\s]*$/.test(v) ? v : '/');

/** The errors pg, knex and net give while the plugin's database cannot be reached. */
function databaseDown(error: unknown): boolean {
  const e = (error ?? {}) as { code?: unknown; name?: unknown; errors?: unknown };
  if (['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', '57P01', '57P03', '08001', '08006'].includes(String(e.code))) return true;
  return e.name === 'KnexTimeoutError' || (Array.isArray(e.errors) && e.errors.some(databaseDown));
}

export interface MemoryWeb {
  app: express.Express;
  access: AccessControlPort;
  credentials: CredentialsPort;
  http: HttpPort;
  panels: PanelsPort;
  /** Contract 1.1's admin frame: its layout and admin menu. */
  frame: MemoryLayout;
  /** Every session id that ever existed (tests may check none is reused). */
  readonly sessions: Map<string, { id: string; userId: string | null }>;
}

export interface MemoryWebDeps {
  store: MemoryStore;
  users: UsersPort;
  enrolments: EnrolmentsPort;
  passwords: PasswordsPort;
  items: Map<string, KnowledgeItem>;
  events: MemoryEvents;
  filters: MemoryFilters;
  clock: ClockPort;
}

export function memoryWeb(deps: MemoryWebDeps): MemoryWeb {
  const { store, users, events } = deps;
  const sessions = new Map<string, { id: string; userId: string | null }>();
  const mounts: { path: string; router: Router }[] = [];
  const panels = new Map<PanelSlot, Map<string, PanelDefinition>>([['item.settings', new Map()], ['portal.settings', new Map()]]);

  const session: RequestHandler = (req, _res, next) => {
    const id = /(?:^|;\s*)mem\.sid=([A-Za-z0-9_-]+)/.exec(req.headers.cookie ?? '')?.[1];
    const found = id ? sessions.get(id) : undefined;
    if (found) (req as SessionRequest).memSession = found;
    next();
  };

  /** A fresh session for `userId`: the old one (if any) is dropped, never reused. */
  function startSession(req: Request, res: Response, userId: string): void {
    const old = (req as SessionRequest).memSession;
    if (old) sessions.delete(old.id);
    const fresh = { id: randomBytes(24).toString('base64url'), userId };
    sessions.set(fresh.id, fresh);
    (req as SessionRequest).memSession = fresh;
    res.cookie(COOKIE, fresh.id, { httpOnly: true, sameSite: 'lax', path: '/' });
    events.raise('user.signed_in', { userId, at: deps.clock.now().toISOString() });
  }

  const access: AccessControlPort = {
    async currentUser(req) {
      const userId = (req as SessionRequest).memSession?.userId;
      const user = userId ? await users.findById(userId) : null;
      return user && user.status === 'active' ? user : null;
    },
    sessionKey: (req) => (req as SessionRequest).memSession?.id ?? null,
    signInUrl: (returnTo) => `/sign-in?next=${encodeURIComponent(returnTo)}`,
    itemSettingsUrl: (item) => `/settings/items/${encodeURIComponent(item.type)}/${encodeURIComponent(item.id)}`,
  };

  const credentials: CredentialsPort = {
    setPassword: (userId, password, tx) => deps.passwords.setPassword(userId, password, tx),
    async signIn(req, res, userId) {
      const user = await users.findById(userId);
      if (!user || user.status !== 'active') throw new Error('Cannot sign in: no active account');
      startSession(req, res, userId);
    },
  };

  const http: HttpPort = {
    mount(path, router, kind) {
      if (!/^(?:\/[A-Za-z0-9._~-]+)+$/.test(path) || !['public', 'admin', 'api'].includes(kind)) throw new TypeError(`Cannot mount ${kind} at ${path}`);
      const wrapped = express.Router().use(path, router);
      const entry = { path, router: wrapped };
      for (const same of mounts.filter((m) => m.path === path)) mounts.splice(mounts.indexOf(same), 1);
      mounts.push(entry);
      return { unmount: () => void (mounts.includes(entry) && mounts.splice(mounts.indexOf(entry), 1)) };
    },
  };

  const panelsPort: PanelsPort = {
    register(panel) {
      const slot = panels.get(panel.slot);
      if (!slot) throw new TypeError(`Unknown panel slot "${panel.slot}"`);
      slot.delete(panel.id);
      slot.set(panel.id, panel);
      return () => void (slot.get(panel.id) === panel && slot.delete(panel.id));
    },
  };

  const frame = memoryLayout('Memory Academy', (req) => access.currentUser(req));

  const app = express();
  app.disable('x-powered-by');
  app.use(express.urlencoded({ extended: false, limit: '100kb' }));
  app.use(session);

  app.get('/', (req, res, next) => void frame.layout.frame(req, { title: 'Home', head: '', main: '<h1>Memory host</h1>' }).then((html) => res.type('html').send(html), next));
  app.get('/sign-in', (req, res) => {
    res.type('html').send(`<form method="post" action="/sign-in"><input type="hidden" name="next" value="${esc(localPath(req.query.next))}"><input name="email"><input type="password" name="password"><button>Sign in</button></form>`);
  });
  app.post('/sign-in', async (req, res, next) => {
    try {
      const body = req.body as Record<string, string>;
      const user = await users.findByEmail(String(body.email ?? ''));
      if (!user || user.status !== 'active' || !verifyPassword(String(body.password ?? ''), store.password(user.id))) return void res.status(401).type('text').send('Email or password is incorrect.');
      startSession(req, res, user.id);
      res.redirect(303, localPath(body.next));
    } catch (error) {
      next(error);
    }
  });

  async function panelsPage(req: Request, res: Response, slot: PanelSlot, item?: KnowledgeItem): Promise<void> {
    const user = await access.currentUser(req);
    if (!user) return res.redirect(303, access.signInUrl(req.originalUrl));
    if (!user.role) return void res.status(403).type('text').send('Admins only.');
    const parts: string[] = [];
    for (const panel of panels.get(slot)!.values()) {
      const html = await panel.render({ req, user, ...(item && { item }) }).catch(() => '<p>This panel failed.</p>');
      if (html !== null) parts.push(`<article data-panel="${esc(panel.id)}"><h3>${esc(panel.title)}</h3>${html}</article>`);
    }
    res.type('html').send(`<main>${parts.join('\n')}</main>`);
  }
  app.get('/settings/portal', (req, res, next) => void panelsPage(req, res, 'portal.settings').catch(next));
  app.get('/settings/items/:type/:id', (req, res, next) => {
    const item = deps.items.get(req.params.id);
    if (!item || item.ref.type !== req.params.type) return void res.status(404).type('text').send('No such item.');
    void panelsPage(req, res, 'item.settings', item).catch(next);
  });

  app.use(catalogueRoutes({ access, items: deps.items, enrolments: deps.enrolments, filters: deps.filters }));

  app.use((req, res, next) => {
    const candidates = mounts.filter((m) => req.path === m.path || req.path.startsWith(`${m.path}/`));
    const step = (error?: unknown): void => {
      if (error !== undefined && error !== 'route' && error !== 'router') return next(error);
      const entry = candidates.shift();
      if (!entry) return next();
      if (!mounts.includes(entry)) return step();
      entry.router(req, res, step);
    };
    step();
  });
  app.use((_req, res) => void res.status(404).type('text').send('Not found.'));
  const errors: ErrorRequestHandler = (error, _req, res, _next) => {
    if (databaseDown(error)) return void res.status(503).set('Retry-After', '30').type('text').send('Temporarily unavailable.');
    res.status(500).type('text').send('Something went wrong.');
  };
  app.use(errors);

  return { app, access, credentials, http, panels: panelsPort, frame, sessions };
}
