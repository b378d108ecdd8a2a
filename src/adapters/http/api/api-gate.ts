import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import { inject, injectable } from 'inversify';
import { TYPES } from '../../../types.js';
import { ErrorCodes } from '../../../domain/shared/errors.js';
import type { AuthenticateApiKeyUseCase } from '../../../application/api-keys/authenticate-api-key.use-case.js';
import type { RouteContribution } from '../shared/route-contribution.js';
import { ApiError, validation } from './api-errors.js';
import { holdsNul } from '../shared/refuse-nul.js';
import { messages } from '../shared/messages.js';

const JSON_LIMIT = '20kb';
const JSON_LIMIT_BYTES = 20 * 1024;
/** The endpoints that read a CSV file as their body (streamed, with limits of their own). */
const CSV_BODY_PATHS = [/^\/token-imports$/, /^\/token-imports\/[^/]+\/apply$/];

/**
 * The first contribution to the `api` route: response headers, then the bearer API key — before any
 * body is read, so an anonymous caller learns nothing but "authenticate" — then the JSON body.
 * Cookies and sessions are never read, so there is nothing for CSRF to abuse.
 */
@injectable()
export class ApiGate implements RouteContribution {
  readonly route = 'api';

  constructor(@inject(TYPES.AuthenticateApiKeyUseCase) private readonly authenticateKey: AuthenticateApiKeyUseCase) {}

  contribute(router: Router): void {
    router.use((_req, res, next) => {
      res.set({ 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff' });
      next();
    });
    router.use((req, res, next) => this.authenticate(req, res, next));
    router.use((req, _res, next) => next(this.bodyRefusal(req)));
    router.use(express.json({ limit: JSON_LIMIT, strict: true }));
    router.use((req, _res, next) => next(holdsNul(req.body) ? validation('body', messages.hostile.nul) : undefined));
  }

  /**
   * The API reads JSON only, at most 20 kB — also when the host parsed the body before the plugin's
   * router (hosts mount routers after their body parsers): a form or multipart body is a 415, a
   * declared or parsed size over the limit a 413. The CSV import endpoints read their own body.
   */
  private bodyRefusal(req: Request): ApiError | undefined {
    const length = Number(req.get('content-length') ?? 0);
    const hasBody = length > 0 || req.get('transfer-encoding') !== undefined;
    if (!hasBody) return undefined;
    if (req.is('text/csv') && CSV_BODY_PATHS.some((p) => p.test(req.path))) return undefined;
    if (length > JSON_LIMIT_BYTES) return new ApiError(ErrorCodes.BODY_TOO_LARGE, 'body');
    if (!req.is('application/json') && !req.is('application/*+json')) return new ApiError(ErrorCodes.BODY_UNSUPPORTED_TYPE, 'body');
    if (req.body !== undefined && JSON.stringify(req.body).length > JSON_LIMIT_BYTES) return new ApiError(ErrorCodes.BODY_TOO_LARGE, 'body');
    return undefined;
  }

  private async authenticate(req: Request, res: Response, next: NextFunction): Promise<void> {
    try {
      const caller = await this.authenticateKey.execute(req.get('authorization'));
      if (!caller.ok) {
        res.set('WWW-Authenticate', caller.error.code === ErrorCodes.AUTH_REQUIRED ? 'Bearer realm="self-registration"' : 'Bearer realm="self-registration", error="invalid_token"');
        return next(new ApiError(caller.error.code));
      }
      res.locals.selfregCaller = caller.value;
      next();
    } catch (error) {
      next(error);
    }
  }
}
