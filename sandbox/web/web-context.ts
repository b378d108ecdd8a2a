/*
 * What every route group of the sandbox's pages shares: the host and its tables, the page renderer
 * (with the portal name, the viewer and the admin flag), the error page, and the guards.
 */
import type { Request, RequestHandler, Response } from 'express';
import type { Knex } from 'knex';
import type { Logger } from 'pino';
import type { HostUser, HostV1 } from '../../src/contract/index.js';
import type { SandboxConfig } from '../config.js';
import type { HostContext } from '../host/host-context.js';
import type { SandboxLearning } from '../host/learning.js';
import type { PanelRegistry } from '../host/panels.port.js';
import type { AdminMenuRegistry } from '../host/layout.port.js';
import { isAdmin } from '../host/records.js';
import type { ReportContributors } from '../host/reports.port.js';
import type { SandboxAdmin } from '../host/sandbox-admin.js';
import type { SandboxSelfEnrolment } from '../host/self-enrolment.js';
import { csrfMatches, csrfToken } from './form-token.js';

export type PageRequest = Request & { user?: HostUser; logout(done: (error: unknown) => void): void };

export interface WebContext {
  readonly knex: Knex;
  readonly config: SandboxConfig;
  readonly host: HostV1;
  /** The host's shared reads (seat limit, user count) run on it. */
  readonly hostContext: HostContext;
  readonly panels: PanelRegistry;
  /** The plugin's admin pages listed in the navigation (contract 1.1). */
  readonly adminMenu: AdminMenuRegistry;
  readonly admin: SandboxAdmin;
  /** Lessons, quizzes and sign-ins (they raise the learning events). */
  readonly learning: SandboxLearning;
  /** What the plugin contributes to the item reports. */
  readonly contributors: ReportContributors;
  /** Items opened for self-enrolment and the learners' catalogue (contract 1.1 filter chain). */
  readonly selfEnrolment: SandboxSelfEnrolment;
  readonly log: Logger;
  currentUser(req: Request): HostUser | null;
  render(req: Request, res: Response, view: string, locals: Record<string, unknown>, status?: number): Promise<void>;
  /** What every page's header needs: the portal's name, the viewer, the admin flag, the menu, the path. */
  pageLocals(req: Request): Promise<Record<string, unknown>>;
  errorPage(req: Request, res: Response, status: number, title: string, message: string): Promise<void>;
  /** Signed-in users only; others are sent to sign in and back. */
  readonly requireUser: RequestHandler;
  /** Portal admins only: a signed-in learner sees 403. */
  readonly requireAdmin: RequestHandler;
  /** Sandbox forms: a cross-origin POST (by Origin, else Referer) is refused. */
  readonly sameOrigin: RequestHandler;
}

export type WebParts = Pick<WebContext, 'knex' | 'config' | 'host' | 'hostContext' | 'panels' | 'adminMenu' | 'admin' | 'learning' | 'contributors' | 'selfEnrolment' | 'log'>;

export function createWebContext(parts: WebParts): WebContext {
  const { config, host, log } = parts;
  const currentUser = (req: Request): HostUser | null => (req as PageRequest).user ?? null;

  async function pageLocals(req: Request): Promise<Record<string, unknown>> {
    let portalName = config.portalName;
    try {
      portalName = (await host.portal.info()).name;
    } catch {
      // Keep the configured name: an error page must not depend on the database.
    }
    const user = currentUser(req);
    return { portalName, user, isAdmin: isAdmin(user), adminMenu: isAdmin(user) ? parts.adminMenu.visibleTo(user) : [], path: req.path, csrf: user ? csrfToken(config.secret, req) : '' };
  }

  async function render(req: Request, res: Response, view: string, locals: Record<string, unknown>, status = 200): Promise<void> {
    res.status(status).render(view, { ...(await pageLocals(req)), ...locals });
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
  const sameOrigin: RequestHandler = (req, res, next) => {
    const source = req.get('origin') ?? req.get('referer');
    let origin: string | null = null;
    if (source) {
      try {
        origin = new URL(source).origin;
      } catch {
        origin = 'null';
      }
    }
    const own = `${req.protocol}://${req.get('host') ?? ''}`;
    if (origin !== null && !allowedOrigins.has(origin) && origin !== own) {
      log.warn({ path: req.path, origin }, 'Cross-origin POST refused');
      return void errorPage(req, res, 403, 'Not allowed', 'This form was sent from another site.').catch(next);
    }
    // A signed-in person's forms also carry the token of their session: the Origin header alone is not enough.
    if (currentUser(req) && !csrfMatches(config.secret, req, ((req.body ?? {}) as Record<string, unknown>)._form_token)) {
      log.warn({ path: req.path }, 'POST without the session\'s form token refused');
      return void errorPage(req, res, 403, 'Not allowed', 'This form has expired. Go back, reload the page and try again.').catch(next);
    }
    next();
  };

  return { ...parts, currentUser, render, pageLocals, errorPage, requireUser, requireAdmin, sameOrigin };
}
