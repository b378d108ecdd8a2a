import { addDays, dayBounds, dueDigests, latestDueDay } from '../../domain/notifications/digest.js';
import type { KnowledgeRef } from '../../domain/shared/knowledge.js';
import { notificationRecipients } from '../../domain/notifications/notification-settings.js';
import type { CataloguePort } from '../../domain/ports/catalogue.port.js';
import type { ClockPort } from '../../domain/ports/clock.port.js';
import type { LoggerPort } from '../../domain/ports/logger.port.js';
import type { DigestStore } from '../../domain/ports/digest-store.port.js';
import type { NotificationSettingsRepository } from '../../domain/ports/notification-settings-repository.port.js';
import type { OutboxPort } from '../../domain/ports/outbox.port.js';
import type { UnitOfWork } from '../../domain/ports/unit-of-work.port.js';
import { itemReportLink, type ReportPaths } from './item-report-link.js';
import type { AdminDigestData, ReportLink } from './notification-mail.js';
import type { PortalDetails } from './portal-details.js';

export interface SendDueDigestsPorts {
  readonly uow: UnitOfWork;
  readonly settings: NotificationSettingsRepository;
  readonly digests: DigestStore;
  readonly outbox: OutboxPort;
  readonly catalogue: CataloguePort;
  readonly portal: PortalDetails;
  readonly clock: ClockPort;
  readonly logger: LoggerPort;
  /** The plugin's registrations report, where "View the report" leads. */
  readonly reports?: ReportPaths;
}

export interface SendDueDigestsOptions {
  /** Local hour (0–23) on the next day at which a day's digest goes out. */
  readonly digestHour: number;
  /** Pending digest entries read per run. */
  readonly digestBatch?: number;
}

const refKey = (ref: KnowledgeRef): string => `${ref.type}:${ref.id}`;

/**
 * Sends every digest that is due: one per item and local day (in the portal's time zone), after that
 * day is over and the digest hour has come. Safe to run on several instances at once: each day's
 * entries are claimed once, in the same transaction that queues the digest.
 */
export class SendDueDigests {
  constructor(
    private readonly p: SendDueDigestsPorts,
    private readonly options: SendDueDigestsOptions,
  ) {}

  async execute(): Promise<{ digests: number; messages: number }> {
    const portal = await this.p.portal.refresh();
    const now = this.p.clock.now();
    const { timeZone } = portal;
    const hour = this.options.digestHour;
    const cutoff = dayBounds(addDays(latestDueDay(now, timeZone, hour), 1), timeZone).start;
    const pending = await this.p.digests.pending(cutoff, this.options.digestBatch ?? 5000);
    let digests = 0;
    let messages = 0;
    for (const group of dueDigests(pending, (e) => refKey(e.item), now, timeZone, hour)) {
      const ref = group.entries[0]!.item;
      // Everything a transaction needs is read before it starts.
      const settings = await this.p.settings.get(ref);
      const current = await this.p.catalogue.get(ref);
      // The enrolments happened and are reported even if the item was deleted since; without a link.
      const report: ReportLink = current || this.p.reports ? await itemReportLink(this.p.catalogue, ref, undefined, this.p.reports) : { url: null, kind: 'item' };
      const recipients = notificationRecipients(settings, portal.primaryAdminEmail);
      const { start, end } = dayBounds(group.day, timeZone);
      const queued = await this.p.uow.run(async (tx) => {
        const claimed = await this.p.digests.claim({ item: ref, day: group.day, from: start, to: end, now }, tx);
        if (!claimed) return null;
        const latest = claimed.entries[claimed.entries.length - 1];
        const data: AdminDigestData = {
          itemTitle: current?.title ?? latest?.itemTitle ?? '',
          itemType: ref.type,
          day: group.day,
          timeZone,
          part: claimed.part,
          entries: claimed.entries.map((e) => ({
            firstName: e.user.firstName, lastName: e.user.lastName, email: e.user.email, newUser: e.newUser, tokenNickname: e.tokenNickname, at: e.at.toISOString(),
          })),
          reportUrl: report.url,
          reportKind: report.kind,
        };
        for (const to of recipients) await this.p.outbox.enqueue({ to, template: 'admin-digest', data: { ...data } }, tx);
        await this.p.digests.recordSent(claimed.digestId, recipients.length, tx);
        return recipients.length;
      });
      if (queued === null) continue;
      digests += 1;
      messages += queued;
      if (queued === 0) this.p.logger.info('Daily digest dropped: notifications are off for the item', { item: ref, day: group.day });
    }
    return { digests, messages };
  }
}
