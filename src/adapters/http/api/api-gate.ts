import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import { inject, injectable } from 'inversify';
import { TYPES } from '../../../types.js';
import { ErrorCodes } from '../../../domain/shared/errors.js';
import type { AuthenticateApiKeyUseCase } from '../../../application/api-keys/authenticate-api-key.use-case.js';
import type { RouteContribution } from '../shared/route-contribution.js';
import { ApiError, validation } from './api-errors.js';
import { holdsNul } from '../shared/refuse-nul.js';
import { messages } from '../shared/messages.js';

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
    router.use(express.json({ limit: '20kb', strict: true }));
    router.use((req, _res, next) => next(holdsNul(req.body) ? validation('body', messages.hostile.nul) : undefined));
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
