import type { Refusal } from '../../domain/shared/errors.js';
import { auditActor, changeEntries, PANEL, type Channel } from '../../domain/audit/audit.js';
import { canHaveTokens } from '../../domain/shared/knowledge.js';
import { ok, type Result } from '../../domain/shared/result.js';
import { hasChanges, type Token } from '../../domain/tokens/token.js';
import { checkChangeValues, checkTokenChange, onlyDisabling } from '../../domain/tokens/token-rules.js';
import type { HostUser } from '../../domain/shared/user.js';
import type { CataloguePort } from '../../domain/ports/catalogue.port.js';
import type { PortalPort } from '../../domain/ports/portal.port.js';
import type { ClockPort } from '../../domain/ports/clock.port.js';
import type { AuditRepository } from '../../domain/ports/audit-repository.port.js';
import type { TokenAdminRepository } from '../../domain/ports/token-admin-repository.port.js';
import type { Tx, UnitOfWork } from '../../domain/ports/unit-of-work.port.js';
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
    /** Raises token.disabled / token.enabled in the change's transaction (absent: no webhooks). */
    private readonly notices: { tokenSwitched(token: Token, enabled: boolean, actor: HostUser | null, itemTitle: string | null, tx: Tx): Promise<void> } | null = null,
  ) {}

  async execute(actor: HostUser | null, id: string, input: UpdateTokenInput, channel: Channel = PANEL): Promise<Result<TokenView, Refusal>> {
    if (!this.permissions.allows(PERMISSION_IDS.tokensManage, actor)) return denied();
    const existing = await this.tokens.findById(id);
    if (!existing) return notFound();
    // Library content (or an item that has gone) can have no live token: only switching off stays allowed.
    const item = onlyDisabling(input) ? null : await this.catalogue.get(existing.item);
    if (!onlyDisabling(input)) {
      const allowed = canHaveTokens(item);
      if (!allowed.ok) return allowed;
    }
    const values = checkChangeValues(input);
    if (!values.ok) return values;
    // Read before the transaction: it must only ever wait on itself.
    const timeZone = input.expiresOn !== undefined ? safeTimeZone((await this.portal.info()).timeZone) : 'UTC';
    const now = this.clock.now();
    const actorEntry = auditActor(actor!, channel);

    return this.uow.run(async (tx) => {
      const current = await this.tokens.lockById(id, tx);
      if (!current) return notFound();
      const plan = checkTokenChange(current, item, input, now, () => timeZone);
      if (!plan.ok) return plan;
      if (!hasChanges(plan.value)) return ok(await this.views.one(current));
      const updated = await this.tokens.update(id, { ...plan.value, updatedBy: actor!.id, updatedAt: now }, tx);
      if (!updated) return notFound();
      await this.audit.append(changeEntries(current, plan.value, actorEntry, now), tx);
      if (plan.value.enabled !== undefined && plan.value.enabled !== current.enabled) await this.notices?.tokenSwitched(updated, plan.value.enabled, actor, item?.title ?? null, tx);
      return ok(await this.views.one(updated));
    });
  }
}
