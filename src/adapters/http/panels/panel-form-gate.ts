import { type Request, type RequestHandler, type Response } from 'express';
import { inject, injectable } from 'inversify';
import type { AccessControlPort } from '../../../contract/index.js';
import type { HostUser } from '../../../domain/shared/user.js';
import type { CsrfTokens } from '../../crypto/crypto.adapters.js';
import { TYPES } from '../../../types.js';
import { messages } from '../shared/messages.js';
import { safeLocalPath } from '../shared/validation.js';
import { formBody } from '../shared/refuse-nul.js';

export interface AdmitOptions {
  /** The 401 answer's text. */
  readonly signInText: string;
  /** Checked before the CSRF token, so a refusal is the permission's; the use case checks again. */
  readonly allowed?: (user: HostUser) => boolean;
  readonly deniedText?: string;
}

/**
 * What every settings panel's form checks before its use case runs: a small urlencoded body, a
 * signed-in user, and the CSRF token bound to that user's session. Permissions are the use cases'.
 */
@injectable()
export class PanelFormGate {
  /** Parses the panels' forms: urlencoded, at most 64 kB and 20 fields. */
  readonly body: RequestHandler[] = formBody({ limit: '64kb', parameterLimit: 20 }, 'admin');

  constructor(
    @inject(TYPES.Access) private readonly access: AccessControlPort,
    @inject(TYPES.Csrf) private readonly csrf: CsrfTokens,
  ) {}

  /** The user who posted, or null once the request was answered (401 or 403). */
  async admit(req: Request, res: Response, options: AdmitOptions): Promise<HostUser | null> {
    const user = await this.access.currentUser(req);
    let refusal: [number, string] | null = null;
    if (!user) refusal = [401, options.signInText];
    else if (options.allowed && !options.allowed(user)) refusal = [403, options.deniedText ?? 'Forbidden'];
    else if (!this.csrf.verify(this.access.sessionKey(req), this.field(req, '_csrf'))) refusal = [403, messages.tokenAdmin.csrfExpired];
    if (!refusal) return user;
    res.status(refusal[0]).type('text/plain').send(refusal[1]);
    return null;
  }

  sessionKey(req: Request): string | null {
    return this.access.sessionKey(req);
  }

  /** The same-origin page the form was on (its `returnTo` field), else `/`. */
  back(req: Request): string {
    return safeLocalPath(this.field(req, 'returnTo'), '/');
  }

  private field(req: Request, name: string): unknown {
    return (req.body as Record<string, unknown> | undefined)?.[name];
  }
}

export function forbidden(res: Response, text = 'Forbidden'): void {
  res.status(403).type('text/plain').send(text);
}
