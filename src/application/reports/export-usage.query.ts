import type { Refusal } from '../../domain/shared/errors.js';
import { ok, type Result } from '../../domain/shared/result.js';
import type { HostUser } from '../../domain/shared/user.js';
import type { TokenUsage, UsageReportPort } from '../../domain/ports/usage-report.port.js';
import type { ReportAccess, ReportRequest } from './report-access.js';
import { usageRange } from './usage-report.query.js';

export interface UsageExport extends ReportRequest {
  /** Every token's figures in the range, newest token first, read page by page as the export is written. */
  readonly rows: AsyncIterable<TokenUsage>;
}

/** The usage report per token, every token, for an export: the same range and item as the page. */
export class ExportUsageQuery {
  constructor(
    private readonly access: ReportAccess,
    private readonly store: UsageReportPort,
    private readonly catchUp: { execute(): Promise<number> },
  ) {}

  async execute(actor: HostUser | null, raw: { item?: unknown; from?: unknown; to?: unknown }): Promise<Result<UsageExport, Refusal>> {
    const opened = await this.access.open(actor, { item: raw.item, from: raw.from, to: raw.to });
    if (!opened.ok) return opened;
    await this.catchUp.execute();
    return ok({ ...opened.value, rows: this.store.streamTokens(usageRange(opened.value)) });
  }
}
