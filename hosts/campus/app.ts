/*
 * Campus's web app: body parsers, the session table, its sign-in page (/account/login?then=…), the
 * settings pages that show the plugin's panels (/manage/settings, /manage/courses/<id>), the learner
 * pages and the catalogue of courses open to join (catalogue-pages.ts), then the router table, a 404 and one error handler (503 when the database is
 * down, otherwise a generic page; JSON under /api/).
 */
import express from 'express';
import type { ErrorRequestHandler, Request, Response } from 'express';
import type { Knex } from 'knex';
import type { AccessControlPort, CataloguePort, EnrolmentsPort, LoggerPort, UsersPort } from '../../src/contract/index.js';
import { mountCatalogue } from './catalogue-pages.js';
import type { EventOutbox } from './event-outbox.js';
import type { FilterBoard } from './filters.js';
import { esc, type PanelShelf } from './panels.js';
import { secretMatches } from './data-ports.js';
import type { RouterTable } from './router-table.js';
import type { SessionTable } from './sessions.js';

export const CAMPUS_PATHS = ['/account', '/manage', '/learn'] as const;

/** Same-origin paths only: `/x`, never `//x`, `/\x`, a scheme or control characters. */
export function localPath(value: unknown): string {
  // eslint-disable-next-line no-control-regex
  return typeof value === 'string' && /^\/(?![/\\])/.test(value) && !/[\u0000-\u001f\\]/.test(value) && value.length < 2000 ? value : '/';
}

const page = (title: string, body: string) => `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${esc(title)} · Campus</title></head><body><main>${body}</main></body></html>`;

export interface CampusAppDeps {
  knex: Knex;
  users: UsersPort;
  catalogue: CataloguePort;
  enrolments: EnrolmentsPort;
  filters: FilterBoard;
  access: AccessControlPort;
  sessions: SessionTable;
  panels: PanelShelf;
  routes: RouterTable;
  events: EventOutbox;
  logger: LoggerPort;
  now(): Date;
}

export function campusApp(deps: CampusAppDeps): express.Express {
  const { knex, users, access, sessions, panels } = deps;
  const app = express();
  app.disable('x-powered-by');
  app.use(express.urlencoded({ extended: false, limit: '64kb' }), express.json({ limit: '64kb' }), sessions.middleware);

  app.get('/', (_req, res) => void res.type('html').send(page('Home', '<h1>Campus</h1>')));
  app.get('/account/login', (req, res) => {
    res.type('html').send(page('Sign in', `<form method="post" action="/account/login"><input type="hidden" name="then" value="${esc(localPath(req.query.then))}"><label>Email <input name="username"></label><label>Password <input type="password" name="secret"></label><button>Sign in</button></form>`));
  });
  app.post('/account/login', async (req, res, next) => {
    try {
      const body = (req.body ?? {}) as Record<string, unknown>;
      const user = typeof body.username === 'string' ? await users.findByEmail(body.username) : null;
      const row = user ? await knex('campus_people').where({ id: user.id }).first('password') : null;
      const ok = await secretMatches(String(body.secret ?? ''), (row?.password as string | null | undefined) ?? null);
      if (!user || !ok || user.status !== 'active') return void res.status(401).type('html').send(page('Sign in', '<p>That did not work.</p>'));
      await sessions.start(req, res, user.id);
      res.redirect(303, localPath(body.then));
    } catch (error) {
      next(error);
    }
  });
  app.post('/account/logout', async (req, res, next) => {
    await sessions.end(req, res).catch(next);
    res.redirect(303, '/');
  });

  async function admin(req: Request, res: Response) {
    const user = await access.currentUser(req);
    if (!user) res.redirect(303, access.signInUrl(req.originalUrl));
    else if (!user.role) res.status(403).type('html').send(page('Not allowed', '<p>Managers only.</p>'));
    return user?.role ? user : null;
  }
  app.get('/manage/settings', async (req, res, next) => {
    try {
      const user = await admin(req, res);
      if (user) res.type('html').send(page('Settings', `<h1>Settings</h1>${await panels.render('portal.settings', { req, user })}`));
    } catch (error) {
      next(error);
    }
  });
  app.get('/manage/courses/:id', async (req, res, next) => {
    try {
      const user = await admin(req, res);
      if (!user) return;
      const row = await knex('campus_courses').where({ id: /^[0-9a-f-]{36}$/.test(req.params.id) ? req.params.id : null }).first('kind');
      const item = row ? await deps.catalogue.get({ type: row.kind, id: req.params.id }) : null;
      if (!item) return void res.status(404).type('html').send(page('Not found', '<p>No such course.</p>'));
      res.type('html').send(page(item.title, `<h1>${esc(item.title)}</h1>${await panels.render('item.settings', { req, user, item })}`));
    } catch (error) {
      next(error);
    }
  });
  mountCatalogue(app, { knex, access, enrolments: deps.enrolments, filters: deps.filters, page });
  app.get('/learn/:id', async (req, res, next) => {
    try {
      const user = await access.currentUser(req);
      if (!user) return res.redirect(303, access.signInUrl(req.originalUrl));
      res.type('html').send(page('Learning', `<p>Welcome, ${esc(user.firstName)}.</p>`));
    } catch (error) {
      next(error);
    }
  });

  app.use(deps.routes.dispatch);
  app.use((req, res) => {
    if (req.path.startsWith('/api/')) return void res.status(404).json({ error: { code: 'NOT_FOUND', message: 'Not found' } });
    res.status(404).type('html').send(page('Not found', '<p>Nothing here.</p>'));
  });
  const errors: ErrorRequestHandler = (error, req, res, next) => {
    if (res.headersSent) return next(error);
    const code = (error as { code?: string }).code ?? '';
    const down = ['ECONNREFUSED', '57P01', '57P03', '08006', '08001'].includes(code);
    deps.logger.error('Campus request failed', { path: req.path, code });
    const status = down ? 503 : 500;
    if (down) res.set('Retry-After', '30');
    if (req.path.startsWith('/api/')) return void res.status(status).json({ error: { code: down ? 'UNAVAILABLE' : 'ERROR', message: 'Something went wrong.' } });
    res.status(status).type('html').send(page('Sorry', '<p>Something went wrong. Please try again.</p>'));
  };
  app.use(errors);
  return app;
}
