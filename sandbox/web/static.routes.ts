/*
 * What comes before sessions and body parsing: protective headers on every answer, the sandbox's
 * stylesheet under /static, and /healthz (answers once the database does).
 */
import path from 'node:path';
import express, { Router } from 'express';
import type { Knex } from 'knex';

export function staticRoutes(knex: Knex, staticDir: string): Router {
  const router = Router();
  router.use((_req, res, next) => {
    res.set({ 'X-Content-Type-Options': 'nosniff', 'Referrer-Policy': 'same-origin', 'X-Frame-Options': 'SAMEORIGIN' });
    next();
  });
  router.use('/static', express.static(path.resolve(staticDir), { maxAge: '1h', index: false }));
  router.get('/healthz', async (_req, res) => {
    await knex.raw('select 1');
    res.type('text/plain').send('ok');
  });
  return router;
}
