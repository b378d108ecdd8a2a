import { displayName } from '../../domain/audit/audit.js';
import { checkRule, checkRuleChange, type CheckedRule, type EnrolmentRule, type RuleInput, type RuleRefusals } from '../../domain/rules/enrolment-rule.js';
import type { RuleReferences } from './rule-references.js';
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
    private readonly references?: RuleReferences,
  ) {}

  /**
   * The dry run of a rule not saved yet: a new one (`id` absent) or a saved one with `change` laid
   * over it, so an admin sees what it would do before it goes live or changes.
   */
  async preview(actor: HostUser | null, input: RuleInput, id?: string): Promise<Result<DryRunResult, RuleRefusals>> {
    if (!this.permissions.allows(PERMISSION_IDS.rulesManage, actor)) return denied();
    if (!this.available) return rulesUnavailable();
    const saved = id ? await this.rules.get(id) : null;
    if (id && !saved) return ruleNotFound();
    const checked = saved ? checkRuleChange(saved, input) : checkRule(input);
    if (!checked.ok) return checked;
    const missing = await this.references?.missing(checked.value);
    if (missing) return err(missing);
    const now = new Date(0);
    return ok(await this.run(saved ?? { id: '0', createdAt: now, updatedAt: now, createdBy: null, ...checked.value }, checked.value));
  }

  async execute(actor: HostUser | null, id: string, change: RuleInput = {}): Promise<Result<DryRunResult, RuleRefusals>> {
    if (!this.permissions.allows(PERMISSION_IDS.rulesManage, actor)) return denied();
    if (!this.available) return rulesUnavailable();
    const saved = await this.rules.get(id);
    if (!saved) return ruleNotFound();
    const checked = checkRuleChange(saved, change);
    if (!checked.ok) return err(checked.error);
    return ok(await this.run(saved, checked.value));
  }

  private async run(base: EnrolmentRule, fields: CheckedRule): Promise<DryRunResult> {
    const rule: EnrolmentRule = { ...base, ...fields };
    const [created, matched] = [await this.backfill.dryRun(rule), await this.backfill.matched(rule, SAMPLE_SIZE)];
    const people = this.users.findByIds ? await this.users.findByIds(matched.sample) : (await Promise.all(matched.sample.map((u) => this.users.findById(u)))).filter((u): u is HostUser => !!u);
    const titles = this.catalogue.getMany ? await this.catalogue.getMany(rule.enrolIn) : (await Promise.all(rule.enrolIn.map((r) => this.catalogue.get(r)))).filter((i) => !!i);
    const items = rule.enrolIn.map((item) => ({
      item, title: titles.find((t) => t!.ref.type === item.type && t!.ref.id === item.id)?.title ?? null, wouldEnrol: created[itemKey(item)] ?? 0,
    }));
    return {
      rule, matched: matched.count, items, total: items.reduce((n, i) => n + i.wouldEnrol, 0),
      sample: matched.sample.map((uid) => people.find((p) => p.id === uid)).filter((p): p is HostUser => !!p).map((p) => ({ name: displayName(p), email: p.email })),
    };
  }
}
