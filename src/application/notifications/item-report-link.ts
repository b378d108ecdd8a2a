import type { KnowledgeRef } from '../../domain/shared/knowledge.js';
import { isLocalLink } from '../../domain/notifications/notification-settings.js';
import type { CataloguePort } from '../../domain/ports/catalogue.port.js';
import type { Tx } from '../../domain/ports/unit-of-work.port.js';
import type { ReportLink } from './notification-mail.js';

/** The host's report page for the item when it has one, else the item itself; on `tx` when given. */
export async function itemReportLink(catalogue: CataloguePort, ref: KnowledgeRef, tx?: Tx): Promise<ReportLink> {
  const report = catalogue.reportUrl ? await catalogue.reportUrl(ref, tx) : null;
  if (isLocalLink(report)) return { url: report, kind: 'report' };
  const item = await catalogue.get(ref, tx);
  return { url: isLocalLink(item?.learnerUrl) ? item!.learnerUrl : null, kind: 'item' };
}
