import { personOf, reconcile, registrationEnrolments, ruleSource, tokenSource, type RuleEnrolment } from '../../domain/rules/rule-matching.js';
import type { HostUser } from '../../domain/shared/user.js';
import type { RulePersonFacts } from '../../domain/ports/enrolment-rule-repository.port.js';
import type { KnowledgeRef } from '../../domain/shared/knowledge.js';
import type { Attribution } from '../../domain/reports/attribution.js';
import type { EnrolmentsPort } from '../../domain/ports/enrolments.port.js';
import type { Tx } from '../../domain/ports/unit-of-work.port.js';
import type { CreateEnrolledOptions } from '../../domain/ports/users.port.js';
import type { RulesCache } from './rules-cache.js';

/** How many new registrants are remembered as "enrolled by the current rules" (see `appliedCurrent`). */
const REMEMBERED = 2000;

/** A new registrant as the rules see them. */
export interface Registrant {
  readonly email: string;
  readonly tokenId: string;
  readonly tokenItem: KnowledgeRef;
  readonly attribution: Attribution | null;
}

/**
 * The enrolment rules' part of a registration, inside its transaction: the matching rules' items
 * (from the in-memory RulesCache, so no query), passed to the host with the token's source as
 * `also` enrolments of its one statement, or enrolled with `enrolFrom` on the transaction path.
 * It remembers, per email, the rules it used, so the `user.created` hook that follows the commit
 * knows whether the rules changed meanwhile (and only then reconciles).
 */
export class RegistrationRules {
  private readonly applied = new Map<string, string>();

  constructor(
    private readonly cache: RulesCache,
    private readonly enrolments: EnrolmentsPort,
    /** Feature enrolment.rules. */
    private readonly enabled: boolean,
    /** How people came and what admins removed: for people who have an account already. */
    private readonly facts?: Pick<RulePersonFacts, 'arrivals' | 'suppressed'>,
  ) {}

  /** An existing account enrolled through a token (signed in, or by an emailed link): the token's item with its source. */
  async enrolToken(userId: string, item: KnowledgeRef, tokenId: string, tx: Tx): Promise<{ created: boolean }> {
    return this.enrolments.enrolFrom ? this.enrolments.enrolFrom(userId, item, tokenSource(tokenId), tx) : this.enrolments.enrol(userId, item, tx);
  }

  /**
   * After an existing account's registration was recorded in `tx`: the items of every rule they now
   * match (their type, email, every token they came through — this one included), except items an
   * admin removed them from. No withdrawals here: a registration only adds.
   */
  async enrolKnown(user: HostUser, tx: Tx): Promise<number> {
    if (!this.enabled || !this.facts || !this.enrolments.enrolFrom) return 0;
    const { rules } = await this.cache.current(tx);
    if (!rules.some((r) => r.enabled)) return 0;
    const [arrivals, suppressed] = await Promise.all([this.facts.arrivals(user.id, tx), this.facts.suppressed(user.id, tx)]);
    let made = 0;
    for (const e of reconcile(rules, { type: user.type, email: user.email, arrivals }, suppressed).enrol) {
      if ((await this.enrolments.enrolFrom(user.id, e.item, ruleSource(e.ruleId), tx)).created) made += 1;
    }
    return made;
  }

  /** What the host's createEnrolled(Statement) takes: the token's source and the rules' enrolments (none when the host cannot take them). */
  async options(who: Registrant, tx?: Tx): Promise<CreateEnrolledOptions | undefined> {
    if (!this.enrolments.enrolFrom) return undefined;
    const also = await this.extra(who, tx);
    return { source: tokenSource(who.tokenId), ...(also.length > 0 && { also: also.map((e) => ({ item: e.item, source: ruleSource(e.ruleId) })) }) };
  }

  /** The transaction path: the token's enrolment (with its source where the host records one) and the rules' enrolments. */
  async enrol(userId: string, who: Registrant, tx: Tx): Promise<void> {
    if (!this.enrolments.enrolFrom) {
      await this.enrolments.enrol(userId, who.tokenItem, tx);
      return;
    }
    await this.enrolments.enrolFrom(userId, who.tokenItem, tokenSource(who.tokenId), tx);
    for (const e of await this.extra(who, tx)) await this.enrolments.enrolFrom(userId, e.item, ruleSource(e.ruleId), tx);
  }

  /** True when this registrant was enrolled here by the rules as they are now: nothing is left to reconcile. */
  async appliedCurrent(email: string): Promise<boolean> {
    const used = this.applied.get(email.toLowerCase());
    if (used === undefined || !this.enabled) return false;
    this.applied.delete(email.toLowerCase());
    return used === (await this.cache.current()).fingerprint;
  }

  private async extra(who: Registrant, tx?: Tx): Promise<RuleEnrolment[]> {
    if (!this.enabled) return [];
    const { rules, fingerprint } = await this.cache.current(tx);
    if (this.applied.size >= REMEMBERED) this.applied.delete(this.applied.keys().next().value!);
    this.applied.set(who.email.toLowerCase(), fingerprint);
    const person = personOf({ type: 'prospect', email: who.email, tokenId: who.tokenId, tokenItem: who.tokenItem, campaign: who.attribution?.utm_campaign ?? null });
    return registrationEnrolments(rules, person, who.tokenItem);
  }
}
