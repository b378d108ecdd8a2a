import { DEFAULT_BRANDING, type Branding } from '../../../src/domain/branding/branding-settings.js';
import { type SettingsRepository } from '../../../src/domain/ports/settings-repository.port.js';
import type { FakeDb } from './fake-db.js';

export class FakeSettings implements SettingsRepository {
  constructor(private readonly db: FakeDb) {}
  async portalEnabled(): Promise<boolean> {
    return this.db.state.portalEnabled;
  }
  async setPortalEnabled(enabled: boolean): Promise<void> {
    this.db.state.portalEnabled = enabled;
  }
  private stored: Branding = DEFAULT_BRANDING;
  async branding(): Promise<Branding> {
    return this.stored;
  }
  async setBranding(branding: Branding): Promise<void> {
    this.stored = branding;
  }
}
