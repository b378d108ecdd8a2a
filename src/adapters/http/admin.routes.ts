import express, { type Request, type Response } from 'express';
import { inject, injectable } from 'inversify';
import type { AccessControlPort, HttpPort, Mounted } from '../../contract.js';
import { isKnowledgeType } from '../../domain/knowledge.js';
import { canManageTokens } from '../../domain/user.js';
import type { TokensService } from '../../application/tokens.service.js';
import type { CsrfTokens } from '../crypto/crypto.adapters.js';
import type { LifecycleContribution } from '../../types.js';
import { TYPES } from '../../types.js';
import { createTokenForm, safeLocalPath } from './validation.js';

/**
 * Admin actions posted from the settings panels. Each checks permission on the server and a CSRF
 * token bound to the admin's session, then redirects back to the panel (post/redirect/get).
 */
@injectable()
export class AdminRoutes implements LifecycleContribution {
  private mounted: Mounted | null = null;

  constructor(
    @inject(TYPES.Http) private readonly http: HttpPort,
    @inject(TYPES.Access) private readonly access: AccessControlPort,
    @inject(TYPES.Csrf) private readonly csrf: CsrfTokens,
    @inject(TYPES.TokensService) private readonly tokens: TokensService,
  ) {}

  start(): void {
    const router = express.Router();
    router.use(express.urlencoded({ extended: false, limit: '20kb', parameterLimit: 20 }));
    router.use(async (req, res, next) => {
      const user = await this.access.currentUser(req);
      if (!canManageTokens(user)) return void res.status(user ? 403 : 401).type('text/plain').send(user ? 'Forbidden' : 'Sign in first');
      if (req.method !== 'GET' && !this.csrf.verify(this.access.sessionKey(req), (req.body as Record<string, unknown> | undefined)?._csrf)) {
        return void res.status(403).type('text/plain').send('This form has expired. Go back, reload the page and try again.');
      }
      res.locals.selfregUser = user;
      next();
    });
    router.post('/items/:type/:id/tokens', (req, res) => this.createToken(req, res));
    this.mounted = this.http.mount('/admin/self-registration', router, 'admin');
  }

  stop(): void {
    this.mounted?.unmount();
    this.mounted = null;
  }

  private async createToken(req: Request, res: Response): Promise<void> {
    const type = String(req.params.type);
    if (!isKnowledgeType(type)) return void res.status(404).type('text/plain').send('Not found');
    const back = safeLocalPath((req.body as Record<string, unknown>).returnTo, `/`);
    const form = createTokenForm.safeParse(req.body);
    const input = form.success ? form.data : { nickname: '', customCode: '' };
    const created = await this.tokens.create(res.locals.selfregUser, { type, id: String(req.params.id) }, { nickname: input.nickname, customCode: input.customCode });
    res.redirect(303, withFlash(back, created.ok ? { selfreg: 'created', selfreg_token: created.value.id } : { selfreg_error: created.error.code }));
  }
}

/** Adds flash parameters to a same-origin path (the panel reads them back through the catalogue). */
function withFlash(pathWithQuery: string, params: Record<string, string>): string {
  const url = new URL(pathWithQuery, 'http://local.invalid');
  for (const k of ['selfreg', 'selfreg_error', 'selfreg_token']) url.searchParams.delete(k);
  for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
  return url.pathname + url.search + '#self-registration';
}
