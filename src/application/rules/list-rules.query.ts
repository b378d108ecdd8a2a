import type { EnrolmentRule } from '../../domain/rules/enrolment-rule.js';
import type { Refusal } from '../../domain/shared/errors.js';
import { ok, type Result } from '../../domain/shared/result.js';
import type { HostUser } from '../../domain/shared/user.js';
import { PERMISSION_IDS, type PermissionsPort } from '../../domain/ports/permissions.port.js';
import type { EnrolmentRuleRepository } from '../../domain/ports/enrolment-rule-repository.port.js';
import type { RuleRun, RuleRuns } from '../../domain/ports/rule-backfill.port.js';
import { denied, ruleNotFound } from './rule-refusals.js';

export interface RuleView {
  readonly rule: EnrolmentRule;
  /** The latest application to existing users, running or finished; null when never applied. */
  readonly lastRun: RuleRun | null;
}

/** The rules, newest first, each with its latest run; or one of them. */
export class ListRulesQuery {
  constructor(
    private readonly permissions: PermissionsPort,
    private readonly rules: EnrolmentRuleRepository,
    private readonly runs: RuleRuns,
  ) {}

  async list(actor: HostUser | null): Promise<Result<RuleView[], Refusal>> {
    if (!this.permissions.allows(PERMISSION_IDS.rulesManage, actor)) return denied();
    const rules = await this.rules.list();
    return ok(await Promise.all(rules.map(async (rule) => ({ rule, lastRun: await this.runs.latest(rule.id) }))));
  }

  async get(actor: HostUser | null, id: string): Promise<Result<RuleView, Refusal>> {
    if (!this.permissions.allows(PERMISSION_IDS.rulesManage, actor)) return denied();
    const rule = await this.rules.get(id);
    if (!rule) return ruleNotFound();
    return ok({ rule, lastRun: await this.runs.latest(id) });
  }
}
