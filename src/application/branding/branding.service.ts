import { ErrorCodes, refuse, type Refusal } from '../../domain/shared/errors.js';
import { err, ok, type Result } from '../../domain/shared/result.js';
import {
  brandingForDisplay, canManageBranding, requiresConsent, validateBranding, type BrandingInput, type BrandingProblems,
} from '../../domain/branding/branding.js';
import type { HostUser } from '../../domain/shared/user.js';
import type { PortalPort } from '../../domain/ports/host.ports.js';
import type { Branding, SettingsRepository } from '../../domain/ports/repositories.port.js';
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

export type BrandingUpdateRefusal =
  | Refusal<typeof ErrorCodes.PERMISSION_DENIED>
  | (Refusal<typeof ErrorCodes.BRANDING_INVALID> & { readonly problems: BrandingProblems });

export interface BrandingPorts {
  readonly settings: SettingsRepository;
  readonly portal: PortalPort;
  /** Shared with the other read caches; bumped by every settings write. */
  readonly signal?: ChangeSignal;
  /** How long the public look is cached (0: not cached). */
  readonly cacheMs?: number;
  readonly millis?: Millis;
}

/**
 * The registration page's branding: read (cached) by every public page, edited by Super and
 * Standard admins in the "Registration page" panel. Permission is checked here, not in the adapter.
 */
export class BrandingService {
  private readonly signal: ChangeSignal;
  private readonly cache: ReadCache<'look', PublicLook>;

  constructor(private readonly p: BrandingPorts) {
    this.signal = p.signal ?? new ChangeSignal();
    this.cache = new ReadCache(this.signal, p.cacheMs ?? 0, p.millis ?? (() => Date.now()), 1);
  }

  /** Branding, portal name and contact for the public pages. */
  look(): Promise<PublicLook> {
    return this.cache.get('look', async () => {
      const [stored, portal] = await Promise.all([this.p.settings.branding(), this.p.portal.info()]);
      const branding = brandingForDisplay(stored);
      return { branding, portalName: portal.name, contactEmail: portal.primaryAdminEmail, consentRequired: requiresConsent(branding) };
    });
  }

  /** What the panel shows an admin (uncached: an admin must see what is stored now). */
  async current(actor: HostUser | null): Promise<Result<Branding, Refusal<typeof ErrorCodes.PERMISSION_DENIED>>> {
    if (!canManageBranding(actor)) return err(refuse(ErrorCodes.PERMISSION_DENIED));
    return ok(brandingForDisplay(await this.p.settings.branding()));
  }

  /** Validates every field and stores the whole branding, or names each field's problem; nothing is stored on refusal. */
  async update(actor: HostUser | null, input: BrandingInput): Promise<Result<Branding, BrandingUpdateRefusal>> {
    if (!canManageBranding(actor)) return err(refuse(ErrorCodes.PERMISSION_DENIED));
    const valid = validateBranding(input);
    if (!valid.ok) return err({ ...refuse(ErrorCodes.BRANDING_INVALID), problems: valid.error });
    await this.p.settings.setBranding(valid.value);
    this.signal.bump();
    return ok(valid.value);
  }
}
