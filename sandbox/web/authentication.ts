/*
 * Sessions and sign-in: express-session over sandbox_sessions (a cookie of its own, keyed from the
 * configured secret) and passport's local strategy over the host's users.
 */
import { createHmac } from 'node:crypto';
import type { RequestHandler } from 'express';
import session from 'express-session';
import passportPkg from 'passport';
import type { PassportStatic } from 'passport';
import { Strategy as LocalStrategy } from 'passport-local';
import type { HostUser } from '../../src/contract/index.js';
import type { CreatedHost } from '../host/index.js';
import { DUMMY_HASH, verifyPassword } from '../passwords.js';
import type { KnexSessionStore } from '../session-store.js';

export type Passport = InstanceType<PassportStatic['Passport']>;

export function createPassport(host: Pick<CreatedHost, 'findCredentials' | 'findUser'>): Passport {
  const passport = new passportPkg.Passport();
  passport.use(new LocalStrategy({ usernameField: 'email', passwordField: 'password' }, (email, password, done) => {
    (async () => {
      const found = typeof email === 'string' && email.length <= 254 ? await host.findCredentials(email) : null;
      // Spend the same time on unknown emails as on known ones.
      const valid = await verifyPassword(String(password).slice(0, 1000), found?.passwordHash ?? DUMMY_HASH);
      if (!found || !valid || found.user.status !== 'active') return done(null, false);
      return done(null, found.user);
    })().catch((error: unknown) => done(error));
  }));
  passport.serializeUser((user, done) => done(null, (user as HostUser).id));
  passport.deserializeUser((id: unknown, done) => {
    host.findUser(String(id)).then(
      (user) => done(null, user && user.status === 'active' ? user : false),
      (error: unknown) => done(error),
    );
  });
  return passport;
}

export const SESSION_COOKIE = 'sandbox.sid';

/** Whether the request carries the session cookie (by name; its value is checked by express-session). */
export const hasSessionCookie = (cookieHeader: string | undefined): boolean =>
  !!cookieHeader && cookieHeader.split(';').some((part) => part.trimStart().startsWith(`${SESSION_COOKIE}=`));

/**
 * The session middleware, then passport's: what every page after it sees as the signed-in user.
 * A request without the session cookie has no session to read and is signed out, so both are
 * skipped — the anonymous deep-link page and registration cost neither a session id nor passport —
 * and `req.session` is made only if a handler touches it (signing in does), exactly as
 * express-session makes a new one: for a request without a session id that is synchronous, and it
 * is saved and its cookie set as usual.
 */
export function sessionMiddleware(opts: { secret: string; secureCookies: boolean; store: KnexSessionStore; passport: Passport }): RequestHandler[] {
  const withSession: RequestHandler[] = [
    session({
      name: SESSION_COOKIE,
      // A key of its own, derived from the configured secret.
      secret: createHmac('sha256', opts.secret).update('sandbox session cookie').digest('base64url'),
      store: opts.store,
      resave: false,
      saveUninitialized: false,
      cookie: { httpOnly: true, sameSite: 'lax', secure: opts.secureCookies, path: '/' },
    }),
    opts.passport.session(),
  ];
  const initialize = opts.passport.initialize();
  const run = (handlers: RequestHandler[], req: Parameters<RequestHandler>[0], res: Parameters<RequestHandler>[1], next: Parameters<RequestHandler>[2], i = 0): void => {
    if (i === handlers.length) return next();
    handlers[i]!(req, res, (err?: unknown) => (err ? next(err) : run(handlers, req, res, next, i + 1)));
  };
  return [
    initialize,
    (req, res, next) => {
      if (!hasSessionCookie(req.headers.cookie)) {
        Object.defineProperty(req, 'session', {
          configurable: true,
          enumerable: true,
          get() {
            delete (req as { session?: unknown }).session;
            withSession[0]!(req, res, () => undefined);
            return (req as { session?: unknown }).session;
          },
          set(value: unknown) {
            Object.defineProperty(req, 'session', { value, writable: true, configurable: true, enumerable: true });
          },
        });
        return next();
      }
      run(withSession, req, res, next);
    },
  ];
}
