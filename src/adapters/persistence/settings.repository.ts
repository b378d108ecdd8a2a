import type { Knex } from 'knex';
import { inject, injectable } from 'inversify';
import type { SettingsRepository } from '../../domain/ports/repositories.port.js';
import { TYPES } from '../../types.js';

const PORTAL_ENABLED = 'portal.enabled';

@injectable()
export class KnexSettingsRepository implements SettingsRepository {
  constructor(@inject(TYPES.Database) private readonly knex: Knex) {}

  /** On until a Super admin switches it off. */
  async portalEnabled(): Promise<boolean> {
    const row: { value: unknown } | undefined = await this.knex('selfreg_settings').where({ key: PORTAL_ENABLED }).first();
    return row ? row.value === true || row.value === 'true' : true;
  }

  async setPortalEnabled(enabled: boolean): Promise<void> {
    await this.knex('selfreg_settings')
      .insert({ key: PORTAL_ENABLED, value: JSON.stringify(enabled), updated_at: new Date() })
      .onConflict('key')
      .merge(['value', 'updated_at']);
  }
}
