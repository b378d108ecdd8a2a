import type { Refusal } from '../../domain/shared/errors.js';
import { ok, type Result } from '../../domain/shared/result.js';
import type { HostUser } from '../../domain/shared/user.js';
import type { RawRegistrationFilter, RegistrationReportRow } from '../../domain/reports/registration-report.js';
import type { RegistrationReportPort } from '../../domain/ports/registration-report.port.js';
import { nextBefore, pageSize } from '../tokens/page-size.js';
import type { ReportAccess, ReportRequest } from './report-access.js';

export interface RegistrationsPage extends ReportRequest {
  readonly rows: readonly RegistrationReportRow[];
  readonly total: number;
  readonly nextBeforeId: string | null;
}

/** One page of the registrations report (a token's, an item's or the portal's), newest first, with the count the filter keeps. */
export class RegistrationsReportQuery {
  constructor(
    private readonly access: ReportAccess,
    private readonly store: RegistrationReportPort,
  ) {}

  async execute(actor: HostUser | null, raw: RawRegistrationFilter, page: { limit?: number; beforeId?: string } = {}): Promise<Result<RegistrationsPage, Refusal>> {
    const opened = await this.access.open(actor, raw);
    if (!opened.ok) return opened;
    const request = opened.value;
    const [found, total] = await Promise.all([
      this.store.page(request.filter, { limit: pageSize(page.limit), ...(page.beforeId && { beforeId: page.beforeId }) }),
      this.store.count(request.filter),
    ]);
    return ok({ ...request, rows: found.rows, total, nextBeforeId: nextBefore(found.rows, found.hasMore) });
  }
}
