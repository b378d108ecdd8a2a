import { localDay } from '../../domain/shared/time-zone.js';
import type { Attribution } from '../../domain/reports/attribution.js';
import type { KnowledgeRef } from '../../domain/shared/knowledge.js';
import type { ClockPort } from '../../domain/ports/clock.port.js';
import type { LinkViewsPort } from '../../domain/ports/link-views.port.js';
import type { PortalFacts } from '../../domain/ports/portal-facts.port.js';

/** A deep link opened for a token: one more view on the portal's local day, under its campaign (counted in memory, written in batches). */
export class RecordDeepLinkViewUseCase {
  constructor(
    private readonly views: LinkViewsPort,
    private readonly portal: PortalFacts,
    private readonly clock: ClockPort,
  ) {}

  async execute(tokenId: string, item: KnowledgeRef, attribution: Attribution | null): Promise<void> {
    const day = localDay(this.clock.now(), await this.portal.timeZone());
    this.views.count(tokenId, item, day, [attribution?.utm_source ?? '', attribution?.utm_medium ?? '', attribution?.utm_campaign ?? '']);
  }
}
