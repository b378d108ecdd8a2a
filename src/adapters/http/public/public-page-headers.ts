import path from 'node:path';
import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import { PLUGIN_ROOT } from '../../views.js';
import type { RouteContribution } from '../shared/route-contribution.js';

/**
 * The public pages load nothing but their own stylesheet and the logo, run no script, post only
 * to themselves and cannot be framed.
 */
export const PUBLIC_CSP = [
  "default-src 'none'",
  "img-src 'self' https: data:",
  "style-src 'self'",
  "style-src-attr 'unsafe-inline'",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
].join('; ');

/** Pages with personal data or link secrets are never cached, never leak the URL as a referrer, never framed. */
export function pageHeaders(_req: Request, res: Response, next: NextFunction): void {
  res.set({
    'Cache-Control': 'no-store',
    'Referrer-Policy': 'no-referrer',
    'X-Content-Type-Options': 'nosniff',
    'X-Frame-Options': 'DENY',
    'Content-Security-Policy': PUBLIC_CSP,
  });
  next();
}

/**
 * The first contribution to a public mount: the page headers for everything under it, and on the
 * links mount the pages' stylesheet and images before them (`/self-registration/assets`).
 */
export class PublicPageHeaders implements RouteContribution {
  constructor(
    readonly route: string,
    private readonly withAssets = false,
  ) {}

  contribute(router: Router): void {
    if (this.withAssets) router.use('/assets', express.static(path.join(PLUGIN_ROOT, 'views', 'assets'), { maxAge: '1h', index: false }));
    router.use(pageHeaders);
  }
}
