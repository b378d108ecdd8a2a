import type { Refusal } from '../../domain/shared/errors.js';
import type { KnowledgeItem, KnowledgeRef } from '../../domain/shared/knowledge.js';
import type { NotificationSettings } from '../../domain/notifications/notification-settings.js';
import { ok, type Result } from '../../domain/shared/result.js';
import type { HostUser } from '../../domain/shared/user.js';
import type { CataloguePort } from '../../domain/ports/catalogue.port.js';
import type { NotificationSettingsRepository } from '../../domain/ports/notification-settings-repository.port.js';
import type { PermissionsPort } from '../../domain/ports/permissions.port.js';
import { manageableItem } from './manageable-item.js';
import type { PortalDetails } from './portal-details.js';

export interface NotificationsView {
  readonly item: KnowledgeItem;
  readonly settings: NotificationSettings;
  readonly primaryAdminEmail: string;
  readonly timeZone: string;
  readonly digestHour: number;
}

export interface NotificationSettingsQueryPorts {
  readonly settings: NotificationSettingsRepository;
  readonly catalogue: CataloguePort;
  readonly portal: PortalDetails;
}

/** What an item's Notifications panel shows an admin: the item's settings, who is always told, and when digests go. */
export class NotificationSettingsQuery {
  constructor(
    private readonly permissions: PermissionsPort,
    private readonly p: NotificationSettingsQueryPorts,
    /** Local hour (0–23) on the next day at which a day's digest goes out. */
    private readonly digestHour: number,
  ) {}

  async execute(actor: HostUser | null, ref: KnowledgeRef): Promise<Result<NotificationsView, Refusal>> {
    const item = await manageableItem(this.permissions, this.p.catalogue, actor, ref);
    if (!item.ok) return item;
    const portal = await this.p.portal.refresh();
    return ok({
      item: item.value,
      settings: await this.p.settings.get(item.value.ref),
      primaryAdminEmail: portal.primaryAdminEmail,
      timeZone: portal.timeZone,
      digestHour: this.digestHour,
    });
  }
}
