import type { Branding } from '../branding/branding-settings.js';

export interface SettingsRepository {
  portalEnabled(): Promise<boolean>;
  setPortalEnabled(enabled: boolean): Promise<void>;
  /** The registration page's branding (defaults when never set); also used by emails. */
  branding(): Promise<Branding>;
  setBranding(branding: Branding): Promise<void>;
}
