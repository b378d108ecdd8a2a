import { inject, injectable } from 'inversify';
import { expiryDateInZone } from '../../../domain/tokens/expiry.js';
import type { PortalFacts } from '../../../domain/ports/portal-facts.port.js';
import type { TokenWithItem } from '../../../application/tokens/token-view.js';
import type { Routes } from '../../../manifest/routes.js';
import { TYPES } from '../../../types.js';
import { deepLink } from '../shared/deep-link.js';

/** A token as the API answers it (docs/api.md): dates as ISO instants, the expiry day in the portal's time zone. */
@injectable()
export class TokenJson {
  constructor(
    @inject(TYPES.PortalFacts) private readonly portal: PortalFacts,
    @inject(TYPES.Routes) private readonly routes: Routes,
  ) {}

  /** A formatter for this request, with the portal's facts read once. */
  async formatter(): Promise<(t: TokenWithItem) => Record<string, unknown>> {
    const { publicBaseUrl, timeZone } = await this.portal.info();
    return (t) => ({
      id: t.id,
      item: { type: t.item.type, id: t.item.id, title: t.itemInfo?.title ?? null },
      nickname: t.nickname,
      code: t.code ?? null,
      custom: t.custom,
      deepLink: deepLink(this.routes, publicBaseUrl, t.code),
      status: t.status,
      enabled: t.enabled,
      expiresAt: t.expiresAt?.toISOString() ?? null,
      expiresOn: t.expiresAt ? expiryDateInZone(t.expiresAt, timeZone) : null,
      maxUses: t.maxUses,
      uses: t.uses,
      createdAt: t.createdAt.toISOString(),
      createdBy: t.createdBy === null ? null : { id: t.createdBy, name: t.createdByName },
      updatedAt: t.updatedAt?.toISOString() ?? t.createdAt.toISOString(),
      lastUsedAt: t.lastUsedAt?.toISOString() ?? null,
    });
  }
}
