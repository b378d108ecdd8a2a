import type { Knex } from 'knex';
import { inject, injectable } from 'inversify';
import { DEFAULT_BRANDING, type Branding } from '../../domain/branding/branding-settings.js';
import { type SettingsRepository } from '../../domain/ports/settings-repository.port.js';
import { TYPES } from '../../types.js';

const PORTAL_ENABLED = 'portal.enabled';
const BRANDING = 'portal.branding';

@injectable()
export class KnexSettingsRepository implements SettingsRepository {
  constructor(@inject(TYPES.Database) private readonly knex: Knex) {}

  /** On until a Super admin switches it off. */
  async portalEnabled(): Promise<boolean> {
    const value = await this.get(PORTAL_ENABLED);
    return value === undefined ? true : value === true;
  }

  setPortalEnabled(enabled: boolean): Promise<void> {
    return this.set(PORTAL_ENABLED, enabled);
  }

  async branding(): Promise<Branding> {
    const value = await this.get(BRANDING);
    return { ...DEFAULT_BRANDING, ...(value && typeof value === 'object' ? (value as Partial<Branding>) : {}) };
  }

  setBranding(branding: Branding): Promise<void> {
    return this.set(BRANDING, branding);
  }

  private async get(key: string): Promise<unknown> {
    const row: { value: unknown } | undefined = await this.knex('selfreg_settings').where({ key }).first();
    if (!row) return undefined;
    return typeof row.value === 'string' ? JSON.parse(row.value) : row.value;
  }

  private async set(key: string, value: unknown): Promise<void> {
    await this.knex('selfreg_settings')
      .insert({ key, value: JSON.stringify(value), updated_at: new Date() })
      .onConflict('key')
      .merge(['value', 'updated_at']);
  }
}
