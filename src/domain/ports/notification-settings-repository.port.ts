import type { KnowledgeRef } from '../shared/knowledge.js';
import type { NotificationSettings } from '../notifications/notification-settings.js';
import type { Tx } from './unit-of-work.port.js';

export interface NotificationSettingsRepository {
  /** The item's settings (defaults: off) — on `tx` when given, so a registration can read them. */
  get(item: KnowledgeRef, tx?: Tx): Promise<NotificationSettings>;
  save(item: KnowledgeRef, settings: NotificationSettings, actorId: string): Promise<void>;
  /**
   * Gives `to` the settings of `from` (switch, mode, recipients), unless `to` has settings of its own
   * already or `from` has none: what was copied, else null.
   */
  copy(from: KnowledgeRef, to: KnowledgeRef, tx: Tx): Promise<NotificationSettings | null>;
  /** Forgets the item's settings (the item was deleted). True when there were any. */
  deleteForItem(item: KnowledgeRef, tx?: Tx): Promise<boolean>;
}
