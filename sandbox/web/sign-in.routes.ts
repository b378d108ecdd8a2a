/* Sign-in and sign-out: /login (the form and its POST) and POST /logout. */
import { Router } from 'express';
import type { HostUser } from '../../src/contract/index.js';
import type { Passport } from './authentication.js';
import { safeReturnTo } from './return-to.js';
import type { PageRequest, WebContext } from './web-context.js';

export function signInRoutes(web: WebContext, passport: Passport): Router {
  const { render, sameOrigin, currentUser, learning } = web;
  const router = Router();

  router.get('/login', async (req, res) => {
    const returnTo = safeReturnTo(req.query.returnTo) ?? '/';
    if (currentUser(req)) return res.redirect(303, returnTo);
    await render(req, res, 'login', { title: 'Sign in', returnTo, email: '', error: null });
  });

  router.post('/login', sameOrigin, (req, res, next) => {
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
        req.session.save((saveError: unknown) => {
          if (saveError) return next(saveError);
          learning.signedIn(user.id, 'password').then(() => res.redirect(303, returnTo), next);
        });
      });
    })(req, res, next);
  });

  router.post('/logout', sameOrigin, (req, res, next) => {
    (req as PageRequest).logout((error: unknown) => (error ? next(error) : res.redirect(303, '/login')));
  });

  return router;
}
