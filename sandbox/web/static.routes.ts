/*
 * What comes before sessions and body parsing: protective headers on every answer, the sandbox's
 * stylesheet under /static, and /healthz (answers once the database does).
 */
import path from 'node:path';
import express, { Router } from 'express';
import type { Knex } from 'knex';

/**
 * The sandbox's own pages load only same-origin styles and scripts (the plugin's panels included),
 * images from anywhere over https (mail and logos), post only to themselves, and cannot be framed.
 * The plugin's public pages send a stricter policy of their own, which replaces this one.
 */
export const SANDBOX_CSP = [
  "default-src 'self'",
  "img-src 'self' https: data:",
  "style-src 'self'",
  "style-src-attr 'unsafe-inline'",
  "script-src 'self'",
  "object-src 'none'",
  "form-action 'self'",
  "frame-ancestors 'self'",
  "base-uri 'none'",
].join('; ');

export function staticRoutes(knex: Knex, staticDir: string, opts: { https: boolean } = { https: false }): Router {
  const router = Router();
  router.use((_req, res, next) => {
    res.set({ 'X-Content-Type-Options': 'nosniff', 'Referrer-Policy': 'same-origin', 'X-Frame-Options': 'SAMEORIGIN', 'Content-Security-Policy': SANDBOX_CSP });
    // Browsers keep to https for a year once the portal is served over it (ignored over plain http).
    if (opts.https) res.set('Strict-Transport-Security', 'max-age=31536000; includeSubDomains');
    next();
  });
  router.use('/static', express.static(path.resolve(staticDir), { maxAge: '1h', index: false }));
  router.get('/favicon.ico', (_req, res) => res.type('image/svg+xml').set('Cache-Control', 'public, max-age=86400').sendFile(path.resolve(staticDir, 'favicon.svg')));
  router.get('/healthz', async (_req, res) => {
    await knex.raw('select 1');
    res.type('text/plain').send('ok');
  });
  return router;
}
