import type { NextFunction, Request, Response, Router } from 'express';
import { inject, injectable } from 'inversify';
import { ErrorCodes } from '../../../domain/shared/errors.js';
import type { LoggerPort } from '../../../domain/ports/logger.port.js';
import { TYPES } from '../../../types.js';
import type { RouteContribution } from '../shared/route-contribution.js';
import { ApiError, databaseUnavailable, statusOf, validation } from './api-errors.js';

/**
 * The last contribution to the `api` route: unknown routes and methods are 404 ROUTE.NOT_FOUND, and
 * every error answers JSON with a stable code — never internals, which go to the log only.
 */
@injectable()
export class ApiFallback implements RouteContribution {
  readonly route = 'api';
  readonly last = true;

  constructor(@inject(TYPES.Logger) private readonly logger: LoggerPort) {}

  contribute(router: Router): void {
    router.use((_req, _res, next) => next(new ApiError(ErrorCodes.ROUTE_NOT_FOUND)));
    router.use((error: unknown, req: Request, res: Response, _next: NextFunction) => this.fail(error, req, res));
  }

  private fail(error: unknown, req: Request, res: Response): void {
    let apiError: ApiError;
    const e = (error ?? {}) as { type?: unknown; status?: unknown };
    if (error instanceof ApiError) apiError = error;
    else if (e.type === 'entity.parse.failed') apiError = validation('body', 'The body is not valid JSON.');
    else if (e.type === 'entity.too.large') apiError = new ApiError(ErrorCodes.BODY_TOO_LARGE, 'body');
    else if (e.type === 'encoding.unsupported' || e.type === 'charset.unsupported') apiError = validation('body', 'Send the body as UTF-8 JSON.');
    else if (databaseUnavailable(error)) {
      this.logger.error('API: database unavailable', { method: req.method, path: req.originalUrl.split('?')[0], error: (error as Error)?.message });
      res.set('Retry-After', '30');
      apiError = new ApiError(ErrorCodes.SERVICE_UNAVAILABLE);
    } else {
      this.logger.error('API: unexpected error', { method: req.method, path: req.originalUrl.split('?')[0], error: error instanceof Error ? error.message : String(error), stack: error instanceof Error ? error.stack : undefined });
      apiError = new ApiError(ErrorCodes.INTERNAL_ERROR);
    }
    if (res.headersSent) return void res.end();
    res.status(statusOf(apiError.code)).json({ error: { code: apiError.code, message: apiError.message, ...(apiError.field && { field: apiError.field }) } });
  }
}
