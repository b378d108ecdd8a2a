import type { Refusal } from '../../domain/shared/errors.js';
import type { KnowledgeRef } from '../../domain/shared/knowledge.js';
import { decideNotificationSettings, type NotificationSettings, type RecipientsRefusal } from '../../domain/notifications/notification-settings.js';
import type { Result } from '../../domain/shared/result.js';
import type { HostUser } from '../../domain/shared/user.js';
import type { CataloguePort } from '../../domain/ports/catalogue.port.js';
import type { NotificationSettingsRepository } from '../../domain/ports/notification-settings-repository.port.js';
import type { PermissionsPort } from '../../domain/ports/permissions.port.js';
import { manageableItem } from './manageable-item.js';
import type { AuditRepository } from '../../domain/ports/audit-repository.port.js';
import type { ClockPort } from '../../domain/ports/clock.port.js';
import { auditActor } from '../../domain/audit/audit.js';
import { notificationsEntry } from '../../domain/audit/settings-entries.js';

export interface SaveNotificationsInput {
  readonly enabled: boolean;
  readonly mode: unknown;
  /** As typed: addresses separated by commas, semicolons or line breaks. */
  readonly stakeholders: string;
}

export type NotificationsRefusal = Refusal | RecipientsRefusal;

export interface SaveNotificationSettingsPorts {
  readonly settings: NotificationSettingsRepository;
  readonly catalogue: CataloguePort;
  /** Where the change is recorded (who, the item, what it is now; never the addresses). */
  readonly audit?: AuditRepository;
  readonly clock?: ClockPort;
}

/** An admin saves an item's notification settings. Everything is validated first: on any refusal nothing is stored; a change is in the audit log. */
export class SaveNotificationSettings {
  constructor(
    private readonly permissions: PermissionsPort,
    private readonly p: SaveNotificationSettingsPorts,
  ) {}

  async execute(actor: HostUser | null, ref: KnowledgeRef, input: SaveNotificationsInput): Promise<Result<NotificationSettings, NotificationsRefusal>> {
    const item = await manageableItem(this.permissions, this.p.catalogue, actor, ref);
    if (!item.ok) return item;
    const decided = decideNotificationSettings(input);
    if (!decided.ok) return decided;
    const before = await this.p.settings.get(item.value.ref);
    await this.p.settings.save(item.value.ref, decided.value, actor!.id);
    if (this.p.audit && JSON.stringify(before) !== JSON.stringify(decided.value)) {
      const after = { enabled: decided.value.enabled, mode: decided.value.mode, recipients: decided.value.stakeholders.length };
      await this.p.audit.append([notificationsEntry(item.value.ref, after, auditActor(actor!), this.p.clock?.now() ?? new Date())]);
    }
    return decided;
  }
}
