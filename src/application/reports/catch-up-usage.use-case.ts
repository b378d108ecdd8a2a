import type { LinkViewsPort } from '../../domain/ports/link-views.port.js';
import type { PortalFacts } from '../../domain/ports/portal-facts.port.js';
import type { UsageRollupPort } from '../../domain/ports/usage-rollup.port.js';

/** Registrations folded per statement. */
export const FOLD_BATCH = 5000;

/**
 * Brings the usage totals up to date: the deep-link views counted so far are written, and every
 * registration that is new or reached a step is folded in (days in the portal's time zone). The
 * report-counters worker runs it every few seconds; a usage report runs it before reading, so what
 * it shows is exact.
 */
export class CatchUpUsageUseCase {
  constructor(
    private readonly views: LinkViewsPort,
    private readonly rollup: UsageRollupPort,
    private readonly portal: PortalFacts,
  ) {}

  async execute(batch: number = FOLD_BATCH): Promise<number> {
    await this.views.flush();
    const timeZone = await this.portal.timeZone();
    let total = 0;
    for (;;) {
      const n = await this.rollup.fold(timeZone, batch);
      total += n;
      // Until nothing is left: another instance folding at the same time takes some rows (skipped, not waited for).
      if (n === 0) return total;
    }
  }
}
