import { deletedWithItemEntries } from '../../domain/audit/audit.js';
import type { KnowledgeRef } from '../../domain/shared/knowledge.js';
import type { AuditRepository } from '../../domain/ports/audit-repository.port.js';
import type { ClockPort } from '../../domain/ports/clock.port.js';
import type { LoggerPort } from '../../domain/ports/logger.port.js';
import type { NotificationSettingsRepository } from '../../domain/ports/notification-settings-repository.port.js';
import type { TokenAdminRepository } from '../../domain/ports/token-admin-repository.port.js';
import type { UnitOfWork } from '../../domain/ports/unit-of-work.port.js';

/**
 * An item that is gone takes its tokens with it: their codes are destroyed, and each deletion is
 * written to the audit log (by the system, because the item was deleted), in one transaction. Its
 * notification settings go too. Registrations keep their nickname snapshot, and enrolments already
 * waiting for the item's digest are still reported.
 */
export class CleanUpDeletedItemUseCase {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly tokens: TokenAdminRepository,
    private readonly audit: AuditRepository,
    private readonly notificationSettings: NotificationSettingsRepository,
    private readonly clock: ClockPort,
    private readonly logger: LoggerPort,
  ) {}

  async execute(item: KnowledgeRef): Promise<void> {
    const now = this.clock.now();
    const { tokens, settings } = await this.uow.run(async (tx) => {
      const deleted = await this.tokens.deleteAllForItem(item, tx);
      await this.audit.append(deletedWithItemEntries(deleted, now), tx);
      return { tokens: deleted.length, settings: await this.notificationSettings.deleteForItem(item, tx) };
    });
    if (tokens > 0 || settings) this.logger.info('Cleaned up after a deleted item', { item, tokens, notificationSettings: settings });
  }
}
