import { SYSTEM_ACTOR } from '../../domain/audit/audit.js';
import { ruleChangedEntries } from '../../domain/rules/rule-audit.js';
import { sameItem, type KnowledgeRef } from '../../domain/shared/knowledge.js';
import type { AuditRepository } from '../../domain/ports/audit-repository.port.js';
import type { ClockPort } from '../../domain/ports/clock.port.js';
import type { EnrolmentRuleRepository } from '../../domain/ports/enrolment-rule-repository.port.js';
import type { UnitOfWork } from '../../domain/ports/unit-of-work.port.js';
import type { RulesCache } from './rules-cache.js';

/**
 * An item the host deleted leaves every rule that enrols into it (a registration must never ask
 * the host to enrol into an item that is gone). A rule left with no other item is switched off,
 * keeping the item so an admin sees what it was. Logged as changes by the system.
 */
export class RemoveDeletedItemFromRulesUseCase {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly rules: EnrolmentRuleRepository,
    private readonly audit: AuditRepository,
    private readonly clock: ClockPort,
    private readonly cache: RulesCache,
  ) {}

  async execute(item: KnowledgeRef): Promise<number> {
    const now = this.clock.now();
    const changed = await this.uow.run(async (tx) => {
      let n = 0;
      for (const rule of await this.rules.list(tx)) {
        if (!rule.enrolIn.some((i) => sameItem(i, item))) continue;
        const rest = rule.enrolIn.filter((i) => !sameItem(i, item));
        const next = rest.length > 0 ? { ...rule, enrolIn: rest } : { ...rule, enabled: false };
        const saved = await this.rules.update(rule.id, next, now, tx);
        if (saved) await this.audit.append(ruleChangedEntries(rule, saved, SYSTEM_ACTOR, now), tx);
        n += 1;
      }
      return n;
    });
    if (changed > 0) this.cache.invalidate();
    return changed;
  }
}
