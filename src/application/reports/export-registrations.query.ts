import type { Refusal } from '../../domain/shared/errors.js';
import { ok, type Result } from '../../domain/shared/result.js';
import type { HostUser } from '../../domain/shared/user.js';
import type { RawRegistrationFilter, RegistrationReportRow } from '../../domain/reports/registration-report.js';
import type { RegistrationReportPort } from '../../domain/ports/registration-report.port.js';
import type { ReportAccess, ReportRequest } from './report-access.js';

export interface RegistrationsExport extends ReportRequest {
  /** Every row the filter keeps, read from the database as the export is written. */
  readonly rows: AsyncIterable<RegistrationReportRow>;
}

/** The whole registrations report for an export: the same filter as the page, every row, streamed. */
export class ExportRegistrationsQuery {
  constructor(
    private readonly access: ReportAccess,
    private readonly store: RegistrationReportPort,
  ) {}

  async execute(actor: HostUser | null, raw: RawRegistrationFilter): Promise<Result<RegistrationsExport, Refusal>> {
    const opened = await this.access.open(actor, raw);
    if (!opened.ok) return opened;
    return ok({ ...opened.value, rows: this.store.stream(opened.value.filter) });
  }
}
