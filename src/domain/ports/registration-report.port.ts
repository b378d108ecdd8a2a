import type { KnowledgeRef } from '../shared/knowledge.js';
import type { RegistrationFilter, RegistrationReportRow } from '../reports/registration-report.js';

/** The registrations report read from storage: keyset pages, a count, and a stream for exports. */
export interface RegistrationReportPort {
  /** Newest first; `beforeId` continues after the previous page's last row. */
  page(filter: RegistrationFilter, page: { readonly limit: number; readonly beforeId?: string }): Promise<{ rows: RegistrationReportRow[]; hasMore: boolean }>;
  count(filter: RegistrationFilter): Promise<number>;
  /** Every row the filter keeps, newest first, read from the database as it is consumed. */
  stream(filter: RegistrationFilter): AsyncIterable<RegistrationReportRow>;
  /** One item's registrations of these users (the host's report page), newest first. */
  forUsers(item: KnowledgeRef, userIds: readonly string[]): Promise<RegistrationReportRow[]>;
  /** The users registered in the item through this token. */
  usersThrough(item: KnowledgeRef, tokenId: string): Promise<string[]>;
}
