import { ErrorCodes, refuse, type Refusal } from '../../domain/shared/errors.js';
import { err, ok, type Result } from '../../domain/shared/result.js';
import { validateBranding, type BrandingInput, type BrandingProblems } from '../../domain/branding/branding.js';
import type { HostUser } from '../../domain/shared/user.js';
import type { Branding } from '../../domain/branding/branding-settings.js';
import type { SettingsRepository } from '../../domain/ports/settings-repository.port.js';
import { PERMISSION_IDS, type PermissionsPort } from '../../domain/ports/permissions.port.js';
import type { ChangeSignal } from '../shared/read-cache.js';
import type { AuditRepository } from '../../domain/ports/audit-repository.port.js';
import type { ClockPort } from '../../domain/ports/clock.port.js';
import { auditActor } from '../../domain/audit/audit.js';
import { brandingEntry } from '../../domain/audit/settings-entries.js';
import type { LogoCheck, LogoProbe } from '../../domain/ports/logo-probe.port.js';

/** What was saved, and what the logo's address answered (`unchecked`: saved, but it could not be checked). */
export interface SavedBranding {
  readonly branding: Branding;
  readonly logo: LogoCheck | 'none' | 'unchanged';
}

export type BrandingUpdateRefusal =
  | Refusal<typeof ErrorCodes.PERMISSION_DENIED>
  | (Refusal<typeof ErrorCodes.BRANDING_INVALID> & { readonly problems: BrandingProblems });

/**
 * A Super or Standard admin saves the registration page's branding: every field is validated and
 * the whole branding stored, or each field's problem named and nothing stored. Permission is checked
 * here, not in the adapter; a save drops the public pages' caches at once, and the audit log names
 * the fields it changed.
 */
export class SaveBranding {
  constructor(
    private readonly permissions: PermissionsPort,
    private readonly settings: SettingsRepository,
    private readonly signal: ChangeSignal,
    private readonly audit?: AuditRepository,
    private readonly clock?: ClockPort,
    private readonly logoProbe?: LogoProbe,
  ) {}

  async execute(actor: HostUser | null, input: BrandingInput): Promise<Result<SavedBranding, BrandingUpdateRefusal>> {
    if (!this.permissions.allows(PERMISSION_IDS.brandingManage, actor)) return err(refuse(ErrorCodes.PERMISSION_DENIED));
    const valid = validateBranding(input);
    if (!valid.ok) return err({ ...refuse(ErrorCodes.BRANDING_INVALID), problems: valid.error });
    const before = await this.settings.branding();
    // A new logo address is asked what it serves: a 404 or a page instead of an image is refused,
    // as every public page would show a broken image; one that cannot be checked is saved and said so.
    const newLogo = valid.value.logoUrl && valid.value.logoUrl !== before.logoUrl ? valid.value.logoUrl : null;
    const logo = !valid.value.logoUrl ? 'none' : !newLogo || !this.logoProbe ? 'unchanged' : await this.logoProbe.check(newLogo);
    if (logo === 'missing' || logo === 'not-image') return err({ ...refuse(ErrorCodes.BRANDING_INVALID), problems: { logoUrl: logo === 'missing' ? 'logo-missing' : 'logo-not-image' } });
    await this.settings.setBranding(valid.value);
    this.signal.bump();
    const changed = (Object.keys(valid.value) as (keyof Branding)[]).filter((k) => JSON.stringify(before[k] ?? null) !== JSON.stringify(valid.value[k] ?? null));
    if (changed.length > 0 && this.audit) await this.audit.append([brandingEntry(changed, auditActor(actor!), this.clock?.now() ?? new Date())]);
    return ok({ branding: valid.value, logo });
  }
}
