import { knowledgeTypeLabel, type KnowledgeItem } from '../../domain/shared/knowledge.js';
import { dayIn } from '../../domain/registration/registration.js';
import { superAdminRecipients } from '../shared/super-admin-recipients.js';
import type { ClockPort } from '../../domain/ports/clock.port.js';
import type { PortalPort } from '../../domain/ports/portal.port.js';
import type { UsersPort } from '../../domain/ports/users.port.js';
import type { LoggerPort } from '../../domain/ports/logger.port.js';
import type { OutboxPort } from '../../domain/ports/outbox.port.js';
import type { SeatAlertRepository } from '../../domain/ports/seat-alert.port.js';
import type { UnitOfWork } from '../../domain/ports/unit-of-work.port.js';

/** Told when a registrant was turned away because no seat was left. */
export interface SeatAlerts {
  seatsExhausted(item: KnowledgeItem): Promise<void>;
}

export interface SeatAlertPorts {
  readonly uow: UnitOfWork;
  readonly alerts: SeatAlertRepository;
  readonly outbox: OutboxPort;
  readonly users: UsersPort;
  readonly portal: PortalPort;
  readonly clock: ClockPort;
  readonly logger: LoggerPort;
}

/**
 * Emails the Super admins — every active one the host lists through the optional
 * `users.listAdmins('super_admin')`, else the portal's primary admin — when registrations are being
 * turned away for lack of seats: at most one alert per day in the portal's time zone, shared by every
 * instance (the day is claimed in the database, in the same transaction that queues the mail).
 */
export class DailySeatAlerts implements SeatAlerts {
  /** The day this instance last saw claimed: later refusals that day cost no query. */
  private lastDay: string | null = null;

  constructor(private readonly p: SeatAlertPorts) {}

  async seatsExhausted(item: KnowledgeItem): Promise<void> {
    const now = this.p.clock.now();
    const portal = await this.p.portal.info();
    const day = dayIn(now, portal.timeZone);
    if (this.lastDay === day) return;
    const recipients = await superAdminRecipients(this.p.users, portal.primaryAdminEmail);
    const sent = await this.p.uow.run(async (tx) => {
      if (!(await this.p.alerts.claimDay(day, now, tx))) return false;
      for (const to of recipients) {
        await this.p.outbox.enqueue({
          to,
          template: 'seat-limit-alert',
          data: {
            day,
            timeZone: portal.timeZone,
            at: now.toISOString(),
            itemTitle: item.title,
            itemType: item.ref.type,
            itemTypeName: knowledgeTypeLabel(item.ref.type),
          },
        }, tx);
      }
      return true;
    });
    this.lastDay = day;
    if (sent) this.p.logger.warn('No seat left: registrations are being turned away; Super admins alerted', { day, recipients: recipients.length });
  }
}
