import type { KnowledgeRef } from '../../domain/shared/knowledge.js';
import { isLocalLink } from '../../domain/notifications/notification-settings.js';
import type { CataloguePort } from '../../domain/ports/catalogue.port.js';
import type { LinkPathsPort } from '../../domain/ports/link-paths.port.js';
import type { Tx } from '../../domain/ports/unit-of-work.port.js';
import type { ReportLink } from './notification-mail.js';

/** Where the plugin's own registrations report of an item is. */
export type ReportPaths = Pick<LinkPathsPort, 'registrationsReport'>;

/**
 * "View the report": the plugin's registrations report of the item (who came through which token,
 * and how far they got) — no query, so nothing is added to the registration's transaction. Without
 * it (unit tests of old wiring), the host's report page when it has one, else the item; on `tx`.
 */
export async function itemReportLink(catalogue: CataloguePort, ref: KnowledgeRef, tx?: Tx, reports?: ReportPaths): Promise<ReportLink> {
  if (reports) return { url: reports.registrationsReport(ref), kind: 'report' };
  const report = catalogue.reportUrl ? await catalogue.reportUrl(ref, tx) : null;
  if (isLocalLink(report)) return { url: report, kind: 'report' };
  const item = await catalogue.get(ref, tx);
  return { url: isLocalLink(item?.learnerUrl) ? item!.learnerUrl : null, kind: 'item' };
}
