import { auditActor, PANEL, type Channel } from '../../domain/audit/audit.js';
import { checkRule, type EnrolmentRule, type RuleInput, type RuleRefusals } from '../../domain/rules/enrolment-rule.js';
import { ruleCreatedEntry } from '../../domain/rules/rule-audit.js';
import { err, ok, type Result } from '../../domain/shared/result.js';
import type { HostUser } from '../../domain/shared/user.js';
import { PERMISSION_IDS } from '../../domain/ports/permissions.port.js';
import { denied, rulesUnavailable } from './rule-refusals.js';
import type { RulesContext } from './rules-context.js';

/** Creates an enrolment rule (switched on unless said otherwise) and logs it. It applies to new registrations and user changes at once; existing users only through Apply. */
export class CreateRuleUseCase {
  constructor(private readonly c: RulesContext) {}

  async execute(actor: HostUser | null, input: RuleInput, channel: Channel = PANEL): Promise<Result<EnrolmentRule, RuleRefusals>> {
    if (!this.c.permissions.allows(PERMISSION_IDS.rulesManage, actor)) return denied();
    if (!this.c.available) return rulesUnavailable();
    const checked = checkRule(input);
    if (!checked.ok) return checked;
    const missing = await this.c.references.missing(checked.value);
    if (missing) return err(missing);
    const now = this.c.clock.now();
    const rule = await this.c.uow.run(async (tx) => {
      const made = await this.c.rules.create(checked.value, actor!.id, now, tx);
      await this.c.audit.append([ruleCreatedEntry(made, auditActor(actor!, channel), now)], tx);
      return made;
    });
    this.c.cache.invalidate();
    return ok(rule);
  }
}
