import type { Refusal } from '../../domain/shared/errors.js';
import type { KnowledgeRef } from '../../domain/shared/knowledge.js';
import { decideNotificationSettings, type NotificationSettings, type RecipientsRefusal } from '../../domain/notifications/notification-settings.js';
import type { Result } from '../../domain/shared/result.js';
import type { HostUser } from '../../domain/shared/user.js';
import type { CataloguePort } from '../../domain/ports/catalogue.port.js';
import type { NotificationSettingsRepository } from '../../domain/ports/notification-settings-repository.port.js';
import type { PermissionsPort } from '../../domain/ports/permissions.port.js';
import { manageableItem } from './manageable-item.js';

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
}

/** An admin saves an item's notification settings. Everything is validated first: on any refusal nothing is stored. */
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
    await this.p.settings.save(item.value.ref, decided.value, actor!.id);
    return decided;
  }
}
