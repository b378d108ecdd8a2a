import { auditActor, PANEL, type Channel } from '../../domain/audit/audit.js';
import { checkRuleChange, type EnrolmentRule, type RuleInput, type RuleRefusals } from '../../domain/rules/enrolment-rule.js';
import { ruleChangedEntries } from '../../domain/rules/rule-audit.js';
import { err, ok, type Result } from '../../domain/shared/result.js';
import type { HostUser } from '../../domain/shared/user.js';
import { PERMISSION_IDS } from '../../domain/ports/permissions.port.js';
import { denied, ruleNotFound, rulesUnavailable } from './rule-refusals.js';
import type { RulesContext } from './rules-context.js';

/**
 * Changes a rule (any of its fields; absent ones are kept) or switches it on or off. Nobody is
 * enrolled or withdrawn by the change itself: new registrations and user changes follow the new
 * rule at once, existing users when it is applied.
 */
export class UpdateRuleUseCase {
  constructor(private readonly c: RulesContext) {}

  async execute(actor: HostUser | null, id: string, change: RuleInput, channel: Channel = PANEL): Promise<Result<EnrolmentRule, RuleRefusals>> {
    if (!this.c.permissions.allows(PERMISSION_IDS.rulesManage, actor)) return denied();
    const before = await this.c.rules.get(id);
    if (!before) return ruleNotFound();
    const onlySwitchingOff = Object.keys(change).every((k) => k === 'enabled') && (change.enabled === false || change.enabled === 'false');
    if (!this.c.available && !onlySwitchingOff) return rulesUnavailable();
    const checked = checkRuleChange(before, change);
    if (!checked.ok) return checked;
    const missing = onlySwitchingOff ? null : await this.c.references.missing(checked.value);
    if (missing) return err(missing);
    const now = this.c.clock.now();
    const after = await this.c.uow.run(async (tx) => {
      const saved = await this.c.rules.update(id, checked.value, now, tx);
      if (saved) await this.c.audit.append(ruleChangedEntries(before, saved, auditActor(actor!, channel), now), tx);
      return saved;
    });
    this.c.cache.invalidate();
    return after ? ok(after) : ruleNotFound();
  }
}
