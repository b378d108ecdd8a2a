import type { Request, Response, Router } from 'express';
import { inject, injectable } from 'inversify';
import QRCode from 'qrcode';
import { ErrorCodes } from '../../../domain/shared/errors.js';
import type { PortalFacts } from '../../../domain/ports/portal-facts.port.js';
import type { GetTokenQuery } from '../../../application/tokens/get-token.query.js';
import { TYPES } from '../../../types.js';
import type { RouteContribution } from '../shared/route-contribution.js';
import { errorMessage, messages } from '../shared/messages.js';
import { AdminPages } from './admin-pages.js';
import { AdminPaths } from './admin-paths.js';
import { userOf } from './admin-request.js';

/** A file name for a download: ASCII letters, digits and hyphens only. */
function fileSlug(text: string): string {
  return text.normalize('NFKD').replace(/[^\x20-\x7e]/g, '').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 40);
}

/** QR codes of a token's deep link (`GET /tokens/:id/qr.png` and `.svg`), as attachments. */
@injectable()
export class TokenQrController implements RouteContribution {
  readonly route = 'admin';

  constructor(
    @inject(TYPES.PortalFacts) private readonly portal: PortalFacts,
    @inject(TYPES.GetTokenQuery) private readonly getToken: GetTokenQuery,
    @inject(AdminPages) private readonly pages: AdminPages,
    @inject(AdminPaths) private readonly paths: AdminPaths,
  ) {}

  contribute(router: Router): void {
    router.get(this.paths.tokenPattern('/qr.png'), (req, res) => this.qr(req, res, 'png'));
    router.get(this.paths.tokenPattern('/qr.svg'), (req, res) => this.qr(req, res, 'svg'));
  }

  private async qr(req: Request, res: Response, format: 'png' | 'svg'): Promise<void> {
    const found = await this.getToken.execute(userOf(res), String(req.params.id));
    if (!found.ok) return this.pages.message(res, found.error.code === ErrorCodes.TOKEN_NOT_FOUND ? 404 : 403, messages.tokenAdmin.notFoundTitle, errorMessage(found.error.code));
    const link = this.paths.deepLink((await this.portal.info()).publicBaseUrl, found.value.code);
    const name = `token-${fileSlug(found.value.nickname ?? '') || fileSlug(found.value.code ?? '') || found.value.id}-qr.${format}`;
    res.attachment(name);
    if (format === 'png') {
      res.type('image/png').send(await QRCode.toBuffer(link, { type: 'png', errorCorrectionLevel: 'M', margin: 4, width: 1024 }));
    } else {
      res.type('image/svg+xml').send(await QRCode.toString(link, { type: 'svg', errorCorrectionLevel: 'M', margin: 4 }));
    }
  }
}
