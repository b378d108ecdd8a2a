import { reconcile, ruleSource } from '../../domain/rules/rule-matching.js';
import type { HostUser } from '../../domain/shared/user.js';
import type { RulePersonFacts } from '../../domain/ports/enrolment-rule-repository.port.js';
import type { EnrolmentsPort } from '../../domain/ports/enrolments.port.js';
import type { LoggerPort } from '../../domain/ports/logger.port.js';
import type { RegistrationRules } from './registration-rules.js';
import type { RulesCache } from './rules-cache.js';

export interface ReconcileOutcome {
  readonly enrolled: number;
  readonly withdrawn: number;
}

/**
 * Applies the rules to one user the host created or changed (user.created, user.updated — a type
 * change from Prospect to Client, a new email): enrols them in what matching rules give (never in
 * an item an admin removed them from), and withdraws what a rule set to withdraw enrolled when
 * they no longer match it — the host removes only that rule's own, unstarted enrolments. Every
 * step is idempotent. A registrant the registration already enrolled with the current rules is
 * skipped without a query.
 */
export class ReconcileUserRulesUseCase {
  constructor(
    private readonly cache: RulesCache,
    private readonly facts: RulePersonFacts,
    private readonly enrolments: EnrolmentsPort,
    private readonly registration: RegistrationRules,
    private readonly logger: LoggerPort,
  ) {}

  async execute(user: HostUser, event: 'created' | 'updated'): Promise<ReconcileOutcome> {
    const none = { enrolled: 0, withdrawn: 0 };
    if (event === 'created' && (await this.registration.appliedCurrent(user.email))) return none;
    const { rules } = await this.cache.current();
    if (!rules.some((r) => r.enabled) || !this.enrolments.enrolFrom) return none;
    const [arrivals, suppressed] = await Promise.all([this.facts.arrivals(user.id), this.facts.suppressed(user.id)]);
    const decision = reconcile(rules, { type: user.type, email: user.email, arrivals }, suppressed);
    let enrolled = 0;
    let withdrawn = 0;
    for (const e of decision.enrol) if ((await this.enrolments.enrolFrom(user.id, e.item, ruleSource(e.ruleId))).created) enrolled += 1;
    if (this.enrolments.withdraw) {
      for (const w of decision.withdraw) {
        const result = await this.enrolments.withdraw(user.id, w.item, { source: ruleSource(w.ruleId) });
        if (result.withdrawn) withdrawn += 1;
      }
    }
    if (enrolled + withdrawn > 0) this.logger.info('Enrolment rules applied to a changed user', { userId: user.id, event, enrolled, withdrawn });
    return { enrolled, withdrawn };
  }
}
