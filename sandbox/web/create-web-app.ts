/*
 * The sandbox LMS's Express 5 app: protective headers and static files, body parsing, sessions and
 * sign-in, whatever the plugin mounted, the sandbox's own pages (a route group a file), then the 404
 * and error pages.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ejs from 'ejs';
import express from 'express';
import type { MountRegistry } from '../host/http.port.js';
import type { KnexSessionStore } from '../session-store.js';
import { adminItemsRoutes } from './admin-items.routes.js';
import { adminEnrolmentsRoutes } from './admin-enrolments.routes.js';
import { adminPortalRoutes } from './admin-portal.routes.js';
import { adminUsersRoutes } from './admin-users.routes.js';
import { adminReportsRoutes } from './admin-reports.routes.js';
import { createPassport, sessionMiddleware } from './authentication.js';
import type { Passport } from './authentication.js';
import { catalogueRoutes } from './catalogue.routes.js';
import { errorHandler, notFound } from './errors.js';
import { learnerRoutes } from './learner.routes.js';
import { learningRoutes } from './learning.routes.js';
import { mailboxRoutes } from './mailbox.routes.js';
import { signInRoutes } from './sign-in.routes.js';
import { staticRoutes } from './static.routes.js';
import type { WebContext } from './web-context.js';

const SANDBOX_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** The sandbox's own pages: the plugin may not mount over them. */
export const RESERVED_PATHS = ['/login', '/logout', '/items', '/catalogue', '/admin/items', '/admin/users', '/admin/portal', '/mailbox', '/static', '/healthz'] as const;

export interface WebAppDeps {
  web: WebContext;
  mounts: MountRegistry;
  sessionStore: KnexSessionStore;
  /** Sign-in's two reads of the host's users. */
  users: Parameters<typeof createPassport>[0];
}

export function createWebApp({ web, mounts, sessionStore, users }: WebAppDeps): express.Express {
  const { config, knex } = web;
  const secureCookies = config.publicBaseUrl.startsWith('https:');
  if (secureCookies && config.trustProxy === undefined) {
    web.log.warn('PUBLIC_BASE_URL is https but TRUST_PROXY is unset: behind a TLS-terminating proxy the session cookie will not be set');
  }
  const passport: Passport = createPassport(users);

  const app = express();
  app.disable('x-powered-by');
  if (config.trustProxy !== undefined) app.set('trust proxy', config.trustProxy);
  app.engine('ejs', ejs.renderFile as Parameters<typeof app.engine>[1]);
  app.set('view engine', 'ejs');
  app.set('views', path.join(SANDBOX_DIR, 'views'));

  app.use(staticRoutes(knex, path.join(SANDBOX_DIR, 'static'), { https: secureCookies }));
  // The sandbox parses the bodies of its own pages and of the plugin's forms; an API mount reads
  // its own (the plugin's JSON API answers a malformed or oversized body in its own words).
  const bodies = [express.urlencoded({ extended: false, limit: '100kb' }), express.json({ limit: '100kb' })];
  app.use((req, res, next) => (mounts.kindAt(req.path) === 'api' ? next() : bodies[0]!(req, res, (e?: unknown) => (e ? next(e) : bodies[1]!(req, res, next)))));
  app.use(sessionMiddleware({ secret: config.secret, secureCookies, store: sessionStore, passport }));

  // The plugin's mounts first: they cannot overlap the sandbox's own pages (RESERVED_PATHS), and a
  // path under none of them passes straight on, so a plugin page does not walk every sandbox router.
  app.use(mounts.dispatch);

  app.use(signInRoutes(web, passport));
  app.use(learnerRoutes(web));
  app.use(learningRoutes(web));
  app.use(catalogueRoutes(web));
  app.use(adminItemsRoutes(web));
  app.use(adminEnrolmentsRoutes(web));
  app.use(adminUsersRoutes(web));
  app.use(adminReportsRoutes(web));
  app.use(adminPortalRoutes(web));
  app.use(mailboxRoutes(web));
  app.use(notFound(web));
  app.use(errorHandler(web));
  return app;
}
