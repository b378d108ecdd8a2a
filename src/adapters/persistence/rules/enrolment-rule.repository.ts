import type { Knex } from 'knex';
import { inject, injectable } from 'inversify';
import type { CheckedRule, EnrolmentRule, RuleConditions } from '../../../domain/rules/enrolment-rule.js';
import type { KnowledgeRef } from '../../../domain/shared/knowledge.js';
import type { EnrolmentRuleRepository } from '../../../domain/ports/enrolment-rule-repository.port.js';
import type { Tx } from '../../../domain/ports/unit-of-work.port.js';
import { TYPES } from '../../../types.js';
import { idString, on } from '../../shared/knex-helpers.js';

const TABLE = 'selfreg_enrolment_rules';
const ID_RE = /^\d{1,18}$/;

interface RuleRow {
  id: string | number;
  name: string;
  enabled: boolean;
  conditions: RuleConditions | string;
  enrol_in: KnowledgeRef[] | string;
  withdraw_on_unmatch: boolean;
  created_by: string | null;
  created_at: string | Date;
  updated_at: string | Date;
}

const json = <T>(v: T | string): T => (typeof v === 'string' ? (JSON.parse(v) as T) : v);

export function ruleOf(row: RuleRow): EnrolmentRule {
  return {
    id: idString(row.id), name: row.name, enabled: row.enabled, conditions: json(row.conditions), enrolIn: json(row.enrol_in),
    withdrawOnUnmatch: row.withdraw_on_unmatch, createdBy: row.created_by, createdAt: new Date(row.created_at), updatedAt: new Date(row.updated_at),
  };
}

const columns = (rule: CheckedRule) => ({
  name: rule.name, enabled: rule.enabled, conditions: JSON.stringify(rule.conditions), enrol_in: JSON.stringify(rule.enrolIn), withdraw_on_unmatch: rule.withdrawOnUnmatch,
});

/** The enrolment rules: a few rows, read whole. */
@injectable()
export class KnexEnrolmentRuleRepository implements EnrolmentRuleRepository {
  constructor(@inject(TYPES.Database) private readonly knex: Knex) {}

  async list(tx?: Tx): Promise<EnrolmentRule[]> {
    const rows = (await on(this.knex, tx)(TABLE).select('*').orderBy('id', 'desc')) as RuleRow[];
    return rows.map(ruleOf);
  }

  async get(id: string, tx?: Tx): Promise<EnrolmentRule | null> {
    if (!ID_RE.test(id)) return null;
    const row = (await on(this.knex, tx)(TABLE).where({ id }).first()) as RuleRow | undefined;
    return row ? ruleOf(row) : null;
  }

  async create(rule: CheckedRule, createdBy: string | null, at: Date, tx?: Tx): Promise<EnrolmentRule> {
    const [row] = (await on(this.knex, tx)(TABLE).insert({ ...columns(rule), created_by: createdBy, created_at: at, updated_at: at }).returning('*')) as RuleRow[];
    return ruleOf(row!);
  }

  async update(id: string, rule: CheckedRule, at: Date, tx?: Tx): Promise<EnrolmentRule | null> {
    if (!ID_RE.test(id)) return null;
    const [row] = (await on(this.knex, tx)(TABLE).where({ id }).update({ ...columns(rule), updated_at: at }).returning('*')) as RuleRow[];
    return row ? ruleOf(row) : null;
  }

  async delete(id: string, tx?: Tx): Promise<boolean> {
    if (!ID_RE.test(id)) return false;
    // `returning`: knex-pglite answers a bare delete with the raw result instead of a count.
    return ((await on(this.knex, tx)(TABLE).where({ id }).delete().returning('id')) as unknown[]).length > 0;
  }
}
