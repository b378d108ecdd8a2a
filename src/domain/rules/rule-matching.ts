/*
 * Who a rule applies to, and what follows from it: the enrolments a registration makes besides the
 * token's own, and what a new or changed user is enrolled in or withdrawn from. Pure: the facts
 * come in, decisions go out; the caller does the writes.
 */
import { sameItem, type KnowledgeRef } from '../shared/knowledge.js';
import type { UserType } from '../shared/user.js';
import { normaliseDomain, type EnrolmentRule } from './enrolment-rule.js';

/** One way the person came in: a registration through a token, with its campaign if any. */
export interface Arrival {
  readonly tokenId: string | null;
  readonly tokenItem: KnowledgeRef | null;
  readonly campaign: string | null;
}

/** What rules look at: the person's type and email, and every registration through a token they made. */
export interface Person {
  readonly type: UserType;
  readonly email: string;
  readonly arrivals: readonly Arrival[];
}

/** A person as one registration describes them (the registration's shape: type, email, token, item, campaign). */
export function personOf(p: { type: UserType; email: string; tokenId?: string | null; tokenItem?: KnowledgeRef | null; campaign?: string | null }): Person {
  const arrival = p.tokenId || p.tokenItem || p.campaign ? [{ tokenId: p.tokenId ?? null, tokenItem: p.tokenItem ?? null, campaign: p.campaign ?? null }] : [];
  return { type: p.type, email: p.email, arrivals: arrival };
}

/** The domain part of an address, lower case. */
export const domainOf = (email: string): string => normaliseDomain(email.slice(email.lastIndexOf('@') + 1));

/** True when `domain` is one of `list` or a subdomain of one. */
export const domainIn = (domain: string, list: readonly string[]): boolean => list.some((d) => domain === d || domain.endsWith(`.${d}`));

function arrivalMatches(rule: EnrolmentRule, a: Arrival): boolean {
  const { arrival, campaigns } = rule.conditions;
  if (campaigns && !(a.campaign !== null && campaigns.includes(a.campaign))) return false;
  switch (arrival.kind) {
    case 'any':
    case 'any_token':
      return a.tokenId !== null || a.tokenItem !== null;
    case 'token':
      return a.tokenId === arrival.tokenId;
    case 'item_tokens':
      return a.tokenItem !== null && sameItem(a.tokenItem, arrival.item);
  }
}

/**
 * Whether the rule's conditions hold for the person (whether the rule is switched on is not asked
 * here). Conditions combine with AND. How the person came and the campaign must hold for the same
 * registration; with no condition on either, a person who never used a token matches too.
 */
export function matches(rule: EnrolmentRule, person: Person): boolean {
  const c = rule.conditions;
  if (!c.userTypes.includes(person.type)) return false;
  if (c.emailDomains) {
    const inList = domainIn(domainOf(person.email), c.emailDomains.domains);
    if (inList !== (c.emailDomains.mode === 'in')) return false;
  }
  if (c.arrival.kind === 'any' && !c.campaigns) return true;
  return person.arrivals.some((a) => arrivalMatches(rule, a));
}

/** An enrolment a rule asks for; the first matching rule (oldest first) is its source. */
export interface RuleEnrolment {
  readonly item: KnowledgeRef;
  readonly ruleId: string;
}

const key = (r: KnowledgeRef): string => `${r.type}:${r.id}`;

/** Items of `enrolments` once each, the first rule naming one kept as its source. */
function uniqueItems(enrolments: readonly RuleEnrolment[], skip: (item: KnowledgeRef) => boolean): RuleEnrolment[] {
  const seen = new Set<string>();
  return enrolments.filter((e) => {
    const k = key(e.item);
    if (seen.has(k) || skip(e.item)) return false;
    seen.add(k);
    return true;
  });
}

const byAge = (rules: readonly EnrolmentRule[]): EnrolmentRule[] =>
  [...rules].sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || Number(a.id) - Number(b.id));

/**
 * The enrolments a registration makes besides the token's own: every item of every switched-on
 * rule the new person matches, once each, without the token's item (the token already enrols it).
 * A new person has no manual removals yet, so nothing is held back.
 */
export function registrationEnrolments(rules: readonly EnrolmentRule[], person: Person, tokenItem: KnowledgeRef | null): RuleEnrolment[] {
  const wanted = byAge(rules).filter((r) => r.enabled && matches(r, person)).flatMap((r) => r.enrolIn.map((item) => ({ item, ruleId: r.id })));
  return uniqueItems(wanted, (item) => tokenItem !== null && sameItem(item, tokenItem));
}

/** What a new or changed user is enrolled in and withdrawn from. */
export interface RuleReconciliation {
  readonly enrol: readonly RuleEnrolment[];
  /** Enrolments of a rule set to withdraw that the person no longer matches; the host removes only that rule's own, unstarted ones. */
  readonly withdraw: readonly RuleEnrolment[];
}

/**
 * For a user the host created or changed (a type change from Prospect to Client, a new email):
 * enrol in the items of every switched-on rule they match, except items an admin removed them from
 * by hand (`suppressed`); withdraw the items of each switched-on rule set to withdraw that they no
 * longer match, unless a rule they still match wants the same item. Enrolling is idempotent and a
 * withdrawal touches only the rule's own enrolments, so deciding this for someone never enrolled
 * or already enrolled is harmless. A switched-off rule neither enrols nor withdraws.
 */
export function reconcile(rules: readonly EnrolmentRule[], person: Person, suppressed: readonly KnowledgeRef[]): RuleReconciliation {
  const live = byAge(rules).filter((r) => r.enabled);
  const matching = live.filter((r) => matches(r, person));
  const isSuppressed = (item: KnowledgeRef) => suppressed.some((s) => sameItem(s, item));
  const enrol = uniqueItems(matching.flatMap((r) => r.enrolIn.map((item) => ({ item, ruleId: r.id }))), isSuppressed);
  const stillWanted = new Set(matching.flatMap((r) => r.enrolIn.map(key)));
  const withdraw = live
    .filter((r) => r.withdrawOnUnmatch && !matching.includes(r))
    .flatMap((r) => r.enrolIn.filter((item) => !stillWanted.has(key(item))).map((item) => ({ item, ruleId: r.id })));
  return { enrol, withdraw };
}

/** The enrolment source the host records for a rule's enrolments (and matches on withdrawal). */
export const ruleSource = (ruleId: string) => ({ kind: 'rule' as const, ref: ruleId });
/** The enrolment source of a registration through a token. */
export const tokenSource = (tokenId: string) => ({ kind: 'token' as const, ref: tokenId });
