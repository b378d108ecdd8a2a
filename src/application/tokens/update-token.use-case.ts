import type { Refusal } from '../../domain/shared/errors.js';
import { auditActor, changeEntries, PANEL, type Channel } from '../../domain/audit/audit.js';
import { expiryChange } from '../../domain/tokens/expiry.js';
import { canHaveTokens } from '../../domain/shared/knowledge.js';
import { ok, type Result } from '../../domain/shared/result.js';
import { hasChanges, planTokenChange, validateMaxUses, validateNickname, type TokenPatch } from '../../domain/tokens/token.js';
import type { HostUser } from '../../domain/shared/user.js';
import type { CataloguePort } from '../../domain/ports/catalogue.port.js';
import type { PortalPort } from '../../domain/ports/portal.port.js';
import type { ClockPort } from '../../domain/ports/clock.port.js';
import type { AuditRepository } from '../../domain/ports/audit-repository.port.js';
import type { TokenAdminRepository } from '../../domain/ports/token-admin-repository.port.js';
import type { UnitOfWork } from '../../domain/ports/unit-of-work.port.js';
import { PERMISSION_IDS, type PermissionsPort } from '../../domain/ports/permissions.port.js';
import { safeTimeZone } from '../../domain/shared/time-zone.js';
import { denied, notFound } from './token-refusals.js';
import type { TokenView, TokenViews } from './token-view.js';

/** What an admin may change. Absent: unchanged; null: cleared. */
export interface UpdateTokenInput {
  readonly nickname?: string | null;
  readonly expiresOn?: string | null;
  readonly maxUses?: number | null;
  readonly enabled?: boolean;
}

/**
 * Edits nickname, expiry, max uses and the enabled flag under the token's row lock; records one audit
 * entry per kind of change, and nothing when nothing really changes.
 */
export class UpdateTokenUseCase {
  constructor(
    private readonly permissions: PermissionsPort,
    private readonly uow: UnitOfWork,
    private readonly tokens: TokenAdminRepository,
    private readonly audit: AuditRepository,
    private readonly catalogue: CataloguePort,
    private readonly portal: PortalPort,
    private readonly clock: ClockPort,
    private readonly views: TokenViews,
  ) {}

  async execute(actor: HostUser | null, id: string, input: UpdateTokenInput, channel: Channel = PANEL): Promise<Result<TokenView, Refusal>> {
    if (!this.permissions.allows(PERMISSION_IDS.tokensManage, actor)) return denied();
    const existing = await this.tokens.findById(id);
    if (!existing) return notFound();
    // Library content (or an item that has gone) can have no live token: only switching off stays allowed.
    const onlyDisabling = Object.keys(input).every((k) => k === 'enabled') && input.enabled === false;
    if (!onlyDisabling) {
      const item = canHaveTokens(await this.catalogue.get(existing.item));
      if (!item.ok) return item;
    }
    let nickname: string | null | undefined;
    if (input.nickname !== undefined) {
      const checked = validateNickname(input.nickname);
      if (!checked.ok) return checked;
      nickname = checked.value;
    }
    let maxUses: number | null | undefined;
    if (input.maxUses !== undefined) {
      const checked = validateMaxUses(input.maxUses);
      if (!checked.ok) return checked;
      maxUses = checked.value;
    }
    // Read before the transaction: it must only ever wait on itself.
    const timeZone = input.expiresOn !== undefined ? safeTimeZone((await this.portal.info()).timeZone) : null;
    const now = this.clock.now();
    const actorEntry = auditActor(actor!, channel);

    return this.uow.run(async (tx) => {
      const current = await this.tokens.lockById(id, tx);
      if (!current) return notFound();
      let expiresAt: Date | null | undefined;
      if (input.expiresOn !== undefined) {
        const checked = expiryChange(current.expiresAt, input.expiresOn, timeZone!, now);
        if (!checked.ok) return checked;
        expiresAt = checked.value;
      }
      const patch: TokenPatch = {
        ...(nickname !== undefined && { nickname }),
        ...(expiresAt !== undefined && { expiresAt }),
        ...(maxUses !== undefined && { maxUses }),
        ...(input.enabled !== undefined && { enabled: input.enabled }),
      };
      const plan = planTokenChange(current, patch);
      if (!plan.ok) return plan;
      if (!hasChanges(plan.value)) return ok(await this.views.one(current));
      const updated = await this.tokens.update(id, { ...plan.value, updatedBy: actor!.id, updatedAt: now }, tx);
      if (!updated) return notFound();
      await this.audit.append(changeEntries(current, plan.value, actorEntry, now), tx);
      return ok(await this.views.one(updated));
    });
  }
}
