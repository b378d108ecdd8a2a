import { brandingForDisplay, requiresConsent } from '../../domain/branding/branding.js';
import type { PortalPort } from '../../domain/ports/portal.port.js';
import type { Branding } from '../../domain/branding/branding-settings.js';
import type { SettingsRepository } from '../../domain/ports/settings-repository.port.js';
import { ChangeSignal, ReadCache, type Millis } from '../shared/read-cache.js';

/** Everything a public page needs to look like the organisation's. */
export interface PublicLook {
  /** Display-safe: every field re-checked (a bad stored value falls back to its default). */
  readonly branding: Branding;
  readonly portalName: string;
  /** Whom a registrant turned away for lack of seats is told to contact. */
  readonly contactEmail: string;
  readonly consentRequired: boolean;
}

export interface PublicLookPorts {
  readonly settings: SettingsRepository;
  readonly portal: PortalPort;
  /** Shared with the other read caches; bumped by every settings write (and by SaveBranding). */
  readonly signal: ChangeSignal;
  /** How long the look is cached (0: not cached). */
  readonly cacheMs?: number;
  readonly millis?: Millis;
}

/** The branding, portal name and contact every public page is drawn with; cached briefly. */
export class PublicLookQuery {
  private readonly cache: ReadCache<'look', PublicLook>;

  constructor(private readonly p: PublicLookPorts) {
    this.cache = new ReadCache(p.signal, p.cacheMs ?? 0, p.millis ?? (() => Date.now()), 1);
  }

  execute(): Promise<PublicLook> {
    return this.cache.get('look', async () => {
      const [stored, portal] = await Promise.all([this.p.settings.branding(), this.p.portal.info()]);
      const branding = brandingForDisplay(stored);
      return { branding, portalName: portal.name, contactEmail: portal.primaryAdminEmail, consentRequired: requiresConsent(branding) };
    });
  }
}
