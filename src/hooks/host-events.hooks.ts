import { inject, injectable } from 'inversify';
import { deletedWithItemEntries } from '../domain/audit/audit.js';
import type { HostEventPayloads } from '../contract/index.js';
import type { EmailLinkRepository } from '../domain/ports/email-link-repository.port.js';
import type { AuditRepository } from '../domain/ports/audit-repository.port.js';
import type { TokenAdminRepository } from '../domain/ports/token-admin-repository.port.js';
import type { NotificationSettingsRepository } from '../domain/ports/notification-settings-repository.port.js';
import type { UnitOfWork } from '../domain/ports/unit-of-work.port.js';
import type { ClockPort } from '../domain/ports/clock.port.js';
import type { LoggerPort } from '../domain/ports/logger.port.js';
import { TYPES } from '../types.js';
import type { HookHandlers, HookMethod } from './hook-types.js';

/**
 * Thin translators from host events to plugin actions. HookRegistry subscribes them as the manifest
 * declares (`action:<event>` → method); action hooks never throw into the host: errors are logged.
 */
@injectable()
export class HostEventHooks implements HookHandlers {
  constructor(
    @inject(TYPES.TokenAdminRepository) private readonly tokens: TokenAdminRepository,
    @inject(TYPES.EmailLinkRepository) private readonly links: EmailLinkRepository,
    @inject(TYPES.Logger) private readonly logger: LoggerPort,
    @inject(TYPES.UnitOfWork) private readonly uow: UnitOfWork,
    @inject(TYPES.AuditRepository) private readonly audit: AuditRepository,
    @inject(TYPES.NotificationSettingsRepository) private readonly notificationSettings: NotificationSettingsRepository,
    @inject(TYPES.Clock) private readonly clock: ClockPort,
  ) {}

  /**
   * An item that is gone takes its tokens with it: their codes are destroyed, and each deletion is
   * written to the audit log (by the system, because the item was deleted), in one transaction. Its
   * notification settings go too. Registrations keep their nickname snapshot, and enrolments already
   * waiting for the item's digest are still reported.
   */
  async onItemDeleted({ item }: HostEventPayloads['item.deleted']): Promise<void> {
    const now = this.clock.now();
    const { tokens, settings } = await this.uow.run(async (tx) => {
      const deleted = await this.tokens.deleteAllForItem(item, tx);
      await this.audit.append(deletedWithItemEntries(deleted, now), tx);
      return { tokens: deleted.length, settings: await this.notificationSettings.deleteForItem(item, tx) };
    });
    if (tokens > 0 || settings) this.logger.info('Cleaned up after a deleted item', { item, tokens, notificationSettings: settings });
  }

  /** A deleted user's outstanding links stop working. */
  async onUserDeleted({ userId }: HostEventPayloads['user.deleted']): Promise<void> {
    await this.links.revokeForUser(userId);
  }

  /** Links were sent to the old address: when the email changes, they stop working. */
  async onUserUpdated({ user, previousEmail }: HostEventPayloads['user.updated']): Promise<void> {
    if (previousEmail && previousEmail.toLowerCase() !== user.email.toLowerCase()) await this.links.revokeForUser(user.id);
  }

  hookMethods(): Record<(typeof HOOK_METHODS)[number], HookMethod> {
    return {
      onItemDeleted: (p: HostEventPayloads['item.deleted']) => this.onItemDeleted(p),
      onUserDeleted: (p: HostEventPayloads['user.deleted']) => this.onUserDeleted(p),
      onUserUpdated: (p: HostEventPayloads['user.updated']) => this.onUserUpdated(p),
    };
  }
}

export const HOOK_METHODS = ['onItemDeleted', 'onUserDeleted', 'onUserUpdated'] as const;
