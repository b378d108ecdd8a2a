import { displayName } from '../../domain/audit/audit.js';
import { checkRuleChange, type EnrolmentRule, type RuleInput, type RuleRefusals } from '../../domain/rules/enrolment-rule.js';
import { err, ok, type Result } from '../../domain/shared/result.js';
import type { HostUser } from '../../domain/shared/user.js';
import type { KnowledgeRef } from '../../domain/shared/knowledge.js';
import type { CataloguePort } from '../../domain/ports/catalogue.port.js';
import type { EnrolmentRuleRepository } from '../../domain/ports/enrolment-rule-repository.port.js';
import { PERMISSION_IDS, type PermissionsPort } from '../../domain/ports/permissions.port.js';
import type { UsersPort } from '../../domain/ports/users.port.js';
import { itemKey, type RuleBackfill } from './rule-backfill.js';
import { denied, ruleNotFound, rulesUnavailable } from './rule-refusals.js';

export interface DryRunResult {
  readonly rule: EnrolmentRule;
  /** Users who match the rule now (some may be enrolled already, or removed by an admin). */
  readonly matched: number;
  /** Per item: the enrolments applying would create. */
  readonly items: readonly { readonly item: KnowledgeRef; readonly title: string | null; readonly wouldEnrol: number }[];
  readonly total: number;
  /** A few of the people who match, by name. */
  readonly sample: readonly { readonly name: string; readonly email: string }[];
}

export const SAMPLE_SIZE = 5;

/**
 * What applying a rule to existing users would do, before it does: the enrolments it would create
 * per item (by the same statements as the apply, rolled back) and a sample of the people who match.
 * `change` previews a rule as it would be after a change, without saving it.
 */
export class DryRunRuleQuery {
  constructor(
    private readonly permissions: PermissionsPort,
    private readonly rules: EnrolmentRuleRepository,
    private readonly backfill: RuleBackfill,
    private readonly users: UsersPort,
    private readonly catalogue: CataloguePort,
    private readonly available: boolean,
  ) {}

  async execute(actor: HostUser | null, id: string, change: RuleInput = {}): Promise<Result<DryRunResult, RuleRefusals>> {
    if (!this.permissions.allows(PERMISSION_IDS.rulesManage, actor)) return denied();
    if (!this.available) return rulesUnavailable();
    const saved = await this.rules.get(id);
    if (!saved) return ruleNotFound();
    const checked = checkRuleChange(saved, change);
    if (!checked.ok) return err(checked.error);
    const rule: EnrolmentRule = { ...saved, ...checked.value };
    const [created, matched] = [await this.backfill.dryRun(rule), await this.backfill.matched(rule, SAMPLE_SIZE)];
    const people = this.users.findByIds ? await this.users.findByIds(matched.sample) : (await Promise.all(matched.sample.map((u) => this.users.findById(u)))).filter((u): u is HostUser => !!u);
    const titles = this.catalogue.getMany ? await this.catalogue.getMany(rule.enrolIn) : (await Promise.all(rule.enrolIn.map((r) => this.catalogue.get(r)))).filter((i) => !!i);
    const items = rule.enrolIn.map((item) => ({
      item, title: titles.find((t) => t!.ref.type === item.type && t!.ref.id === item.id)?.title ?? null, wouldEnrol: created[itemKey(item)] ?? 0,
    }));
    return ok({
      rule, matched: matched.count, items, total: items.reduce((n, i) => n + i.wouldEnrol, 0),
      sample: matched.sample.map((uid) => people.find((p) => p.id === uid)).filter((p): p is HostUser => !!p).map((p) => ({ name: displayName(p), email: p.email })),
    });
  }
}
