/*
 * The last two handlers: a 404 page (JSON under /api/) for what nothing answered, and the error
 * page: 503 with Retry-After when the database is down, the client's 4xx, else a generic 500 that
 * shows no internals (the details go to the log).
 */
import type { ErrorRequestHandler, RequestHandler } from 'express';
import { isDatabaseUnavailable } from './database-unavailable.js';
import type { WebContext } from './web-context.js';

export function notFound(web: WebContext): RequestHandler {
  return async (req, res) => {
    if (req.path.startsWith('/api/')) return void res.status(404).json({ error: { code: 'NOT_FOUND', message: 'Not found' } });
    await web.errorPage(req, res, 404, 'Page not found', 'There is nothing at this address.');
  };
}

export function errorHandler(web: WebContext): ErrorRequestHandler {
  const { log, render } = web;
  return (error: unknown, req, res, next) => {
    if (res.headersSent) {
      log.error({ method: req.method, path: req.path, error }, 'Error after the response started');
      return next(error);
    }
    const e = (error ?? {}) as { status?: unknown; statusCode?: unknown; expose?: unknown; stack?: unknown };
    const clientStatus = Number(e.status ?? e.statusCode);
    let status = 500;
    let title = 'Something went wrong';
    let message = 'Sorry, something went wrong on our side. Please try again in a moment.';
    if (isDatabaseUnavailable(error)) {
      status = 503;
      title = 'Temporarily unavailable';
      message = 'The service is temporarily unavailable. Please try again in a minute.';
      res.set('Retry-After', '30');
      log.error({ method: req.method, path: req.path, error }, 'Database unavailable');
    } else if (Number.isInteger(clientStatus) && clientStatus >= 400 && clientStatus < 500 && e.expose !== false) {
      status = clientStatus;
      title = status === 413 ? 'Too large' : 'Bad request';
      message = status === 413 ? 'What you sent is too large.' : 'The request could not be understood.';
      log.warn({ method: req.method, path: req.path, status }, 'Bad request');
    } else {
      log.error({ method: req.method, path: req.path, error, stack: typeof e.stack === 'string' ? e.stack : undefined }, 'Unhandled error');
    }
    if (req.path.startsWith('/api/')) return void res.status(status).json({ error: { code: status === 503 ? 'UNAVAILABLE' : 'ERROR', message } });
    // The error page renders without the database (render() falls back to the configured name).
    res.status(status);
    render(req, res, 'error', { title, status, message }, status).catch(() => {
      if (!res.headersSent) res.status(status).type('text/plain').send(message);
    });
  };
}
