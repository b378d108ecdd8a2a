import type { CheckedRule, EnrolmentRule } from '../rules/enrolment-rule.js';
import type { Arrival } from '../rules/rule-matching.js';
import type { KnowledgeRef } from '../shared/knowledge.js';
import type { Tx } from './unit-of-work.port.js';

/** The enrolment rules, newest first in lists; few (tens), so read whole. */
export interface EnrolmentRuleRepository {
  list(tx?: Tx): Promise<EnrolmentRule[]>;
  get(id: string, tx?: Tx): Promise<EnrolmentRule | null>;
  create(rule: CheckedRule, createdBy: string | null, at: Date, tx?: Tx): Promise<EnrolmentRule>;
  /** Null when the rule is gone. */
  update(id: string, rule: CheckedRule, at: Date, tx?: Tx): Promise<EnrolmentRule | null>;
  delete(id: string, tx?: Tx): Promise<boolean>;
}

/** What rules need to know of a person beyond the host's user: how they came, and what an admin removed by hand. */
export interface RulePersonFacts {
  /** Every registration through a token the user made, with its token's item and campaign. */
  arrivals(userId: string, tx?: Tx): Promise<Arrival[]>;
  /** The items an admin removed the user from by hand: rules never enrol them there again. */
  suppressed(userId: string, tx?: Tx): Promise<KnowledgeRef[]>;
  suppress(userId: string, item: KnowledgeRef, at: Date, tx?: Tx): Promise<void>;
}

/** The same facts for a page of users at once (a backfill without the host's selectByType). */
export interface RulePeopleFacts {
  arrivalsOf(userIds: readonly string[], tx?: Tx): Promise<Map<string, Arrival[]>>;
  suppressedOf(userIds: readonly string[], tx?: Tx): Promise<Map<string, KnowledgeRef[]>>;
}
