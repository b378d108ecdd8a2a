import type { Knex } from 'knex';
import { inject, injectable } from 'inversify';
import type { KnowledgeRef } from '../../domain/shared/knowledge.js';
import { DEFAULT_NOTIFICATION_SETTINGS, isNotificationMode, type NotificationSettings } from '../../domain/notifications/notification-settings.js';
import type { NotificationSettingsRepository } from '../../domain/ports/notification-settings-repository.port.js';
import type { Tx } from '../../domain/ports/unit-of-work.port.js';
import { TYPES } from '../../types.js';
import { on } from '../shared/knex-helpers.js';

interface Row {
  enabled: boolean;
  mode: string;
  stakeholders: unknown;
}

const TABLE = 'selfreg_notification_settings';

@injectable()
export class KnexNotificationSettingsRepository implements NotificationSettingsRepository {
  constructor(@inject(TYPES.Database) private readonly knex: Knex) {}

  async get(item: KnowledgeRef, tx?: Tx): Promise<NotificationSettings> {
    const row: Row | undefined = await on(this.knex, tx)(TABLE).where({ item_type: item.type, item_id: item.id }).first('enabled', 'mode', 'stakeholders');
    return row ? settingsOf(row) : DEFAULT_NOTIFICATION_SETTINGS;
  }

  async save(item: KnowledgeRef, settings: NotificationSettings, actorId: string): Promise<void> {
    await this.knex(TABLE)
      .insert({
        item_type: item.type,
        item_id: item.id,
        enabled: settings.enabled,
        mode: settings.mode,
        stakeholders: JSON.stringify(settings.stakeholders),
        updated_by: actorId,
        updated_at: new Date(),
      })
      .onConflict(['item_type', 'item_id'])
      .merge(['enabled', 'mode', 'stakeholders', 'updated_by', 'updated_at']);
  }

  async copy(from: KnowledgeRef, to: KnowledgeRef, tx: Tx): Promise<NotificationSettings | null> {
    const result = await on(this.knex, tx).raw(
      `insert into ${TABLE} (item_type, item_id, enabled, mode, stakeholders, updated_by, updated_at)
       select ?, ?, enabled, mode, stakeholders, null, ? from ${TABLE} where item_type = ? and item_id = ?
       on conflict (item_type, item_id) do nothing
       returning enabled, mode, stakeholders`,
      [to.type, to.id, new Date(), from.type, from.id],
    );
    const row = (result as { rows: Row[] }).rows[0];
    return row ? settingsOf(row) : null;
  }

  async deleteForItem(item: KnowledgeRef, tx?: Tx): Promise<boolean> {
    // returning() rather than the affected-row count, which knex-pglite does not report for deletes.
    const rows = await on(this.knex, tx)(TABLE).where({ item_type: item.type, item_id: item.id }).delete().returning('item_id');
    return rows.length > 0;
  }
}

function settingsOf(row: Row): NotificationSettings {
  const list = typeof row.stakeholders === 'string' ? (JSON.parse(row.stakeholders) as unknown) : row.stakeholders;
  return {
    enabled: row.enabled,
    mode: isNotificationMode(row.mode) ? row.mode : 'each',
    stakeholders: Array.isArray(list) ? list.filter((s): s is string => typeof s === 'string') : [],
  };
}
