import { addDays, dayBounds, dueDigests, latestDueDay } from '../../domain/notifications/digest.js';
import { ErrorCodes, refuse, type Refusal } from '../../domain/shared/errors.js';
import { canHaveTokens, type KnowledgeItem, type KnowledgeRef } from '../../domain/shared/knowledge.js';
import {
  decideNotificationSettings, isLocalLink, notificationRecipients, type NotificationSettings, type RecipientsRefusal,
} from '../../domain/notifications/notification-settings.js';
import { err, ok, type Result } from '../../domain/shared/result.js';
import { canManageTokens, type HostUser } from '../../domain/shared/user.js';
import type { CataloguePort, PortalInfo, PortalPort } from '../../domain/ports/host.ports.js';
import type { ClockPort } from '../../domain/ports/clock.port.js';
import type { LoggerPort } from '../../domain/ports/logger.port.js';
import type { DigestStore, NotificationSettingsRepository } from '../../domain/ports/notifications.port.js';
import type { EnrolmentListener, ExternalEnrolment, OutboxPort } from '../../domain/ports/repositories.port.js';
import type { Tx, UnitOfWork } from '../../domain/ports/unit-of-work.port.js';

export interface NotificationsPorts {
  readonly uow: UnitOfWork;
  readonly settings: NotificationSettingsRepository;
  readonly digests: DigestStore;
  readonly outbox: OutboxPort;
  readonly catalogue: CataloguePort;
  readonly portal: PortalPort;
  readonly clock: ClockPort;
  readonly logger: LoggerPort;
}

export interface NotificationsOptions {
  /** Local hour (0–23) on the next day at which a day's digest goes out. */
  readonly digestHour: number;
  /** Pending digest entries read per run. */
  readonly digestBatch?: number;
}

/** Where a notification links: the host's report of the item, or the item itself. */
export interface ReportLink {
  /** A same-origin path or an absolute URL; the mail renderer keeps it only under the public base URL. */
  readonly url: string | null;
  readonly kind: 'report' | 'item';
}

export interface NotificationsView {
  readonly item: KnowledgeItem;
  readonly settings: NotificationSettings;
  readonly primaryAdminEmail: string;
  readonly timeZone: string;
  readonly digestHour: number;
}

export interface SaveNotificationsInput {
  readonly enabled: boolean;
  readonly mode: unknown;
  /** As typed: addresses separated by commas, semicolons or line breaks. */
  readonly stakeholders: string;
}

export type NotificationsRefusal = Refusal | RecipientsRefusal;

/** What an `admin-notification` email is rendered from (plain JSON in the outbox). */
export interface AdminNotificationData {
  readonly itemTitle: string;
  readonly itemType: string;
  readonly registrant: { readonly firstName: string; readonly lastName: string; readonly email: string };
  readonly newUser: boolean;
  readonly tokenNickname: string | null;
  /** ISO 8601; shown in the portal's time zone. */
  readonly at: string;
  readonly reportUrl: string | null;
  readonly reportKind: 'report' | 'item';
}

/** What an `admin-digest` email is rendered from. */
export interface AdminDigestData {
  readonly itemTitle: string;
  readonly itemType: string;
  /** The local day, YYYY-MM-DD, in the time zone below. */
  readonly day: string;
  readonly timeZone: string;
  readonly part: number;
  readonly entries: readonly {
    readonly firstName: string;
    readonly lastName: string;
    readonly email: string;
    readonly newUser: boolean;
    readonly tokenNickname: string | null;
    readonly at: string;
  }[];
  readonly reportUrl: string | null;
  readonly reportKind: 'report' | 'item';
}

const refKey = (ref: KnowledgeRef): string => `${ref.type}:${ref.id}`;

/**
 * Admin notifications of external enrolments. As an EnrolmentListener it runs inside the
 * registration's transaction and touches only that transaction: an email per enrolment goes straight
 * into the outbox; in digest mode the enrolment is noted for its item's daily digest, which
 * `sendDueDigests()` builds once the day (in the portal's time zone) is over.
 */
export class NotificationsService implements EnrolmentListener {
  private portalInfo: PortalInfo | null = null;

  constructor(
    private readonly p: NotificationsPorts,
    private readonly options: NotificationsOptions,
  ) {}

  /**
   * Reads the portal's details (primary admin, time zone) outside any transaction and keeps them:
   * a registration's transaction must not wait on another connection to learn them.
   */
  async refreshPortal(): Promise<PortalInfo> {
    this.portalInfo = await this.p.portal.info();
    return this.portalInfo;
  }

  /** The portal details last read (null before the first refresh). */
  get cachedPortal(): PortalInfo | null {
    return this.portalInfo;
  }

  async enrolled(enrolment: ExternalEnrolment, tx: Tx): Promise<void> {
    const settings = await this.p.settings.get(enrolment.item.ref, tx);
    if (!settings.enabled) return;
    if (settings.mode === 'digest') {
      await this.p.digests.add({
        item: enrolment.item.ref,
        itemTitle: enrolment.item.title,
        user: { ...enrolment.user },
        newUser: enrolment.newUser,
        tokenId: enrolment.tokenId,
        tokenNickname: enrolment.tokenNickname,
        at: enrolment.at,
      }, tx);
      return;
    }
    if (!this.portalInfo) this.p.logger.error('Admin notification: the portal’s primary admin is not known yet; only the other recipients are emailed');
    const report = await this.reportLink(enrolment.item.ref, tx);
    const data: AdminNotificationData = {
      itemTitle: enrolment.item.title,
      itemType: enrolment.item.ref.type,
      registrant: { firstName: enrolment.user.firstName, lastName: enrolment.user.lastName, email: enrolment.user.email },
      newUser: enrolment.newUser,
      tokenNickname: enrolment.tokenNickname,
      at: enrolment.at.toISOString(),
      reportUrl: report.url,
      reportKind: report.kind,
    };
    for (const to of notificationRecipients(settings, this.portalInfo?.primaryAdminEmail ?? null)) {
      await this.p.outbox.enqueue({ to, template: 'admin-notification', data: { ...data } }, tx);
    }
  }

  /** The item's Notifications panel. */
  async view(actor: HostUser | null, ref: KnowledgeRef): Promise<Result<NotificationsView, Refusal>> {
    const item = await this.manageableItem(actor, ref);
    if (!item.ok) return item;
    const portal = await this.refreshPortal();
    return ok({
      item: item.value,
      settings: await this.p.settings.get(item.value.ref),
      primaryAdminEmail: portal.primaryAdminEmail,
      timeZone: portal.timeZone,
      digestHour: this.options.digestHour,
    });
  }

  /** Validates everything first: on any refusal nothing is stored. */
  async save(actor: HostUser | null, ref: KnowledgeRef, input: SaveNotificationsInput): Promise<Result<NotificationSettings, NotificationsRefusal>> {
    const item = await this.manageableItem(actor, ref);
    if (!item.ok) return item;
    const decided = decideNotificationSettings(input);
    if (!decided.ok) return decided;
    await this.p.settings.save(item.value.ref, decided.value, actor!.id);
    return decided;
  }

  /**
   * Sends every digest that is due: one per item and local day, after that day is over and the
   * digest hour has come. Safe to run on several instances at once: each day's entries are claimed
   * once, in the same transaction that queues the digest.
   */
  async sendDueDigests(): Promise<{ digests: number; messages: number }> {
    const portal = await this.refreshPortal();
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
      const report: ReportLink = current ? await this.reportLink(ref) : { url: null, kind: 'item' };
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

  private async manageableItem(actor: HostUser | null, ref: KnowledgeRef): Promise<Result<KnowledgeItem, Refusal>> {
    if (!canManageTokens(actor)) return err(refuse(ErrorCodes.PERMISSION_DENIED));
    const item = canHaveTokens(await this.p.catalogue.get(ref));
    return item.ok ? item : err(refuse(item.error.code));
  }

  /** The host's report page for the item when it has one, else the item itself; on `tx` when given. */
  private async reportLink(ref: KnowledgeRef, tx?: Tx): Promise<ReportLink> {
    const report = this.p.catalogue.reportUrl ? await this.p.catalogue.reportUrl(ref, tx) : null;
    if (isLocalLink(report)) return { url: report, kind: 'report' };
    const item = await this.p.catalogue.get(ref, tx);
    return { url: isLocalLink(item?.learnerUrl) ? item!.learnerUrl : null, kind: 'item' };
  }
}
