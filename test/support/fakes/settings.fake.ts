import { DEFAULT_BRANDING, type Branding, type SettingsRepository } from '../../../src/domain/ports/repositories.port.js';
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
