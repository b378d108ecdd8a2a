import type { ErrorCodes, Refusal } from '../../domain/shared/errors.js';
import { ok, type Result } from '../../domain/shared/result.js';
import type { BrandingInput } from '../../domain/branding/branding.js';
import type { HostUser } from '../../domain/shared/user.js';
import type { PortalPort } from '../../domain/ports/portal.port.js';
import type { Branding } from '../../domain/branding/branding-settings.js';
import type { SettingsRepository } from '../../domain/ports/settings-repository.port.js';
import { ChangeSignal, type Millis } from '../shared/read-cache.js';
import { CurrentBrandingQuery } from './current-branding.query.js';
import { PublicLookQuery, type PublicLook } from './public-look.query.js';
import { SaveBranding, type BrandingUpdateRefusal } from './save-branding.use-case.js';

export type { PublicLook } from './public-look.query.js';
export type { BrandingUpdateRefusal } from './save-branding.use-case.js';

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
 * The three branding use cases under one name, for callers written before they were split (the public
 * pages read `look()`; tests save through `update()`). New code takes PublicLookQuery,
 * CurrentBrandingQuery or SaveBranding itself.
 */
export class BrandingService {
  private readonly lookQuery: PublicLookQuery;
  private readonly currentQuery: CurrentBrandingQuery;
  private readonly save: SaveBranding;

  constructor(p: BrandingPorts, parts?: { look: PublicLookQuery; current: CurrentBrandingQuery; save: SaveBranding }) {
    const signal = p.signal ?? new ChangeSignal();
    this.lookQuery = parts?.look ?? new PublicLookQuery({ settings: p.settings, portal: p.portal, signal, cacheMs: p.cacheMs, millis: p.millis });
    this.currentQuery = parts?.current ?? new CurrentBrandingQuery(p.settings, p.portal);
    this.save = parts?.save ?? new SaveBranding(p.settings, signal);
  }

  look(): Promise<PublicLook> {
    return this.lookQuery.execute();
  }

  async current(actor: HostUser | null): Promise<Result<Branding, Refusal<typeof ErrorCodes.PERMISSION_DENIED>>> {
    const current = await this.currentQuery.execute(actor);
    return current.ok ? ok(current.value.branding) : current;
  }

  update(actor: HostUser | null, input: BrandingInput): Promise<Result<Branding, BrandingUpdateRefusal>> {
    return this.save.execute(actor, input);
  }
}
