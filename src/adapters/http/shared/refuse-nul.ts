/*
 * A NUL byte can be neither stored (PostgreSQL refuses it in text) nor meant: every route refuses
 * it at the edge with a 400 before any handler, use case or statement sees the request.
 */
import express, { type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import { messages } from './messages.js';

/** Whether a parsed query or body holds a NUL byte anywhere (keys included), looking 8 levels deep. */
export function holdsNul(value: unknown, depth = 0): boolean {
  if (typeof value === 'string') return value.includes('\u0000');
  if (depth > 8 || value === null || typeof value !== 'object') return false;
  if (Array.isArray(value)) return value.some((v) => holdsNul(v, depth + 1));
  return Object.entries(value as Record<string, unknown>).some(([k, v]) => k.includes('\u0000') || holdsNul(v, depth + 1));
}

/** The URL (path or query, raw or percent-encoded) or whatever body is parsed so far holds a NUL byte. */
export const requestHoldsNul = (req: Request): boolean => /%00|\u0000/.test(req.originalUrl) || holdsNul(req.query) || holdsNul(req.body);

/** Answers a request holding a NUL byte: JSON for the API, plain words for pages and forms. */
export function refuseNul(kind: 'public' | 'admin' | 'api'): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    if (!requestHoldsNul(req)) return next();
    res.status(400).set('Cache-Control', 'no-store');
    if (kind === 'api') return void res.json({ error: { code: 'VALIDATION.FAILED', message: messages.hostile.nul, field: 'request' } });
    res.type('text/plain').send(messages.hostile.nul);
  };
}

/**
 * A urlencoded form body of bounded size, then the NUL refusal over what it parsed: the one body
 * reader of every public page and admin form.
 */
export function formBody(limits: { limit: string; parameterLimit: number }, kind: 'public' | 'admin' = 'public'): RequestHandler[] {
  return [express.urlencoded({ extended: false, ...limits }), refuseNul(kind)];
}
