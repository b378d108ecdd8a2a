import { notificationRecipients } from '../../domain/notifications/notification-settings.js';
import type { CataloguePort } from '../../domain/ports/catalogue.port.js';
import type { KnowledgeRef } from '../../domain/shared/knowledge.js';
import type { LoggerPort } from '../../domain/ports/logger.port.js';
import type { DigestStore } from '../../domain/ports/digest-store.port.js';
import type { NotificationSettingsRepository } from '../../domain/ports/notification-settings-repository.port.js';
import type { EnrolmentListener } from '../../domain/ports/enrolment-listener.port.js';
import type { ExternalEnrolment } from '../../domain/notifications/external-enrolment.js';
import type { OutboxPort } from '../../domain/ports/outbox.port.js';
import type { Tx } from '../../domain/ports/unit-of-work.port.js';
import { itemReportLink, type ReportPaths } from './item-report-link.js';
import type { AdminNotificationData } from './notification-mail.js';
import type { PortalDetails } from './portal-details.js';

export interface RecordExternalEnrolmentPorts {
  readonly settings: NotificationSettingsRepository;
  readonly digests: DigestStore;
  readonly outbox: OutboxPort;
  readonly catalogue: CataloguePort;
  readonly portal: PortalDetails;
  readonly logger: LoggerPort;
  /** The plugin's registrations report, where "View the report" leads. */
  readonly reports?: ReportPaths;
}

/**
 * An external enrolment, told to the item's admins. As an EnrolmentListener it runs inside the
 * registration's transaction and touches only that transaction: an email per enrolment goes straight
 * into the outbox; in digest mode the enrolment is noted for its item's daily digest.
 */
export class RecordExternalEnrolment implements EnrolmentListener {
  constructor(private readonly p: RecordExternalEnrolmentPorts) {}

  enrolled(enrolment: ExternalEnrolment, tx: Tx): Promise<void> {
    return this.execute(enrolment, tx);
  }

  /** Nothing to write for an item whose notifications are off. */
  async quiet(item: KnowledgeRef): Promise<boolean> {
    return !(await this.p.settings.get(item)).enabled;
  }

  async execute(enrolment: ExternalEnrolment, tx: Tx): Promise<void> {
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
    const portal = this.p.portal.known;
    if (!portal) this.p.logger.error('Admin notification: the portal’s primary admin is not known yet; only the other recipients are emailed');
    const report = await itemReportLink(this.p.catalogue, enrolment.item.ref, tx, this.p.reports);
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
    for (const to of notificationRecipients(settings, portal?.primaryAdminEmail ?? null)) {
      await this.p.outbox.enqueue({ to, template: 'admin-notification', data: { ...data } }, tx);
    }
  }
}
