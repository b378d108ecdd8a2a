import type { KnowledgeRef } from '../../../src/domain/shared/knowledge.js';
import { DEFAULT_NOTIFICATION_SETTINGS, type NotificationSettings } from '../../../src/domain/notifications/notification-settings.js';
import type { NotificationSettingsRepository } from '../../../src/domain/ports/notification-settings-repository.port.js';
import type { Tx } from '../../../src/domain/ports/unit-of-work.port.js';

const key = (ref: KnowledgeRef): string => `${ref.type}:${ref.id}`;

/** Notification settings per item; records the transaction (or undefined) each read was made on. */
export class FakeNotificationSettings implements NotificationSettingsRepository {
  readonly stored = new Map<string, NotificationSettings>();
  /** The transaction (or undefined) of each read. */
  readonly reads: (Tx | undefined)[] = [];
  readonly saves: { item: KnowledgeRef; settings: NotificationSettings; actorId: string }[] = [];

  async get(item: KnowledgeRef, tx?: Tx): Promise<NotificationSettings> {
    this.reads.push(tx);
    return this.stored.get(key(item)) ?? DEFAULT_NOTIFICATION_SETTINGS;
  }
  async save(item: KnowledgeRef, settings: NotificationSettings, actorId: string): Promise<void> {
    this.saves.push({ item, settings, actorId });
    this.stored.set(key(item), settings);
  }
  set(item: KnowledgeRef, settings: NotificationSettings): void {
    this.stored.set(key(item), settings);
  }
  async copy(from: KnowledgeRef, to: KnowledgeRef): Promise<NotificationSettings | null> {
    const source = this.stored.get(key(from));
    if (!source || this.stored.has(key(to))) return null;
    this.stored.set(key(to), source);
    return source;
  }
  async deleteForItem(item: KnowledgeRef): Promise<boolean> {
    return this.stored.delete(key(item));
  }
}
