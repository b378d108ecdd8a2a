import { auditActor, PANEL, type Channel } from '../../domain/audit/audit.js';
import type { EnrolmentRule } from '../../domain/rules/enrolment-rule.js';
import { ruleDeletedEntry } from '../../domain/rules/rule-audit.js';
import type { Refusal } from '../../domain/shared/errors.js';
import { ok, type Result } from '../../domain/shared/result.js';
import type { HostUser } from '../../domain/shared/user.js';
import { PERMISSION_IDS } from '../../domain/ports/permissions.port.js';
import { denied, ruleNotFound } from './rule-refusals.js';
import type { RulesContext } from './rules-context.js';

/** Deletes a rule. The enrolments it made stay (they keep the rule as their source); it enrols and withdraws no one any more. */
export class DeleteRuleUseCase {
  constructor(private readonly c: RulesContext) {}

  async execute(actor: HostUser | null, id: string, channel: Channel = PANEL): Promise<Result<EnrolmentRule, Refusal>> {
    if (!this.c.permissions.allows(PERMISSION_IDS.rulesManage, actor)) return denied();
    const now = this.c.clock.now();
    const gone = await this.c.uow.run(async (tx) => {
      const rule = await this.c.rules.get(id, tx);
      if (!rule || !(await this.c.rules.delete(id, tx))) return null;
      await this.c.audit.append([ruleDeletedEntry(rule, auditActor(actor!, channel), now)], tx);
      return rule;
    });
    this.c.cache.invalidate();
    return gone ? ok(gone) : ruleNotFound();
  }
}
