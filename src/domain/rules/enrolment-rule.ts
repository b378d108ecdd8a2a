/*
 * An enrolment rule: people who match its conditions are enrolled in its items — at registration,
 * when the host tells of a new or changed user, and by a backfill an admin applies. The rule's
 * fields are checked here once, for the portal panel and the JSON API alike.
 */
import { ErrorCodes, refuse, refuseWith, type Refusal } from '../shared/errors.js';
import { isKnowledgeType, type KnowledgeRef } from '../shared/knowledge.js';
import { err, ok, type Result } from '../shared/result.js';
import { hasControlCharacters } from '../shared/text-rules.js';
import { USER_TYPES, type UserType } from '../shared/user.js';

/**
 * How the person came: any way at all (also people who never used a token), through any token,
 * through one given token, or through any token of one given item.
 */
export type ArrivalCondition =
  | { readonly kind: 'any' }
  | { readonly kind: 'any_token' }
  | { readonly kind: 'token'; readonly tokenId: string }
  | { readonly kind: 'item_tokens'; readonly item: KnowledgeRef };

/** Email domains the person's address must (`in`) or must not (`not_in`) be at; a subdomain counts as its domain. */
export interface DomainCondition {
  readonly mode: 'in' | 'not_in';
  readonly domains: readonly string[];
}

export interface RuleConditions {
  /** Never empty; Prospect by default. */
  readonly userTypes: readonly UserType[];
  readonly arrival: ArrivalCondition;
  readonly emailDomains: DomainCondition | null;
  /** utm_campaign values (exact, case-sensitive as the reports record them); the arrival must carry one of them. */
  readonly campaigns: readonly string[] | null;
}

export interface EnrolmentRule {
  readonly id: string;
  readonly name: string;
  readonly enabled: boolean;
  readonly conditions: RuleConditions;
  readonly enrolIn: readonly KnowledgeRef[];
  /** When someone stops matching: false keeps what the rule enrolled (the default), true withdraws it where unstarted. */
  readonly withdrawOnUnmatch: boolean;
  readonly createdAt: Date;
  readonly updatedAt: Date;
  readonly createdBy: string | null;
}

/** A rule's fields as a form or an API body gives them; absent fields take their defaults. */
export interface RuleInput {
  readonly name?: unknown;
  readonly enabled?: unknown;
  readonly userTypes?: unknown;
  readonly arrival?: unknown;
  readonly emailDomains?: unknown;
  readonly campaigns?: unknown;
  readonly enrolIn?: unknown;
  readonly withdrawOnUnmatch?: unknown;
}

export type CheckedRule = Pick<EnrolmentRule, 'name' | 'enabled' | 'conditions' | 'enrolIn' | 'withdrawOnUnmatch'>;

/** The first refusal in form order, with the others beside it (a form names every problem at once). */
export type RuleRefusals = Refusal & { readonly others?: readonly Refusal[] };

export const RULE_NAME_MAX = 100;
export const RULE_ITEMS_MAX = 20;
export const RULE_DOMAINS_MAX = 100;
export const RULE_CAMPAIGNS_MAX = 50;
const CAMPAIGN_MAX = 100;
const ID_MAX = 64;
const DOMAIN = /^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9-]{2,63}$/;
const HOSTILE = /[<>"'`\\]/;

const isText = (v: unknown): v is string => typeof v === 'string';
const isId = (v: unknown): v is string => (isText(v) || typeof v === 'number') && /^[A-Za-z0-9_-]{1,64}$/.test(String(v)) && String(v).length <= ID_MAX;

/** A list given as an array or as text separated by commas, semicolons, spaces or lines. */
function listOf(value: unknown): string[] | null {
  if (value === undefined || value === null || value === '') return [];
  if (isText(value)) return value.split(/[\s,;]+/).map((s) => s.trim()).filter(Boolean);
  if (Array.isArray(value) && value.every(isText)) return value.map((s) => s.trim()).filter(Boolean);
  return null;
}

export function checkName(value: unknown): Result<string, Refusal> {
  const name = isText(value) ? value.trim() : '';
  if (name.length === 0 || name.length > RULE_NAME_MAX || hasControlCharacters(name)) return err(refuseWith(ErrorCodes.RULE_NAME_INVALID, { max: RULE_NAME_MAX }));
  return ok(name);
}

function checkUserTypes(value: unknown): Result<UserType[], Refusal> {
  if (value === undefined) return ok(['prospect']);
  const list = listOf(value);
  if (!list || list.length === 0 || !list.every((t) => (USER_TYPES as readonly string[]).includes(t))) return err(refuse(ErrorCodes.RULE_USER_TYPES_INVALID));
  return ok([...new Set(list as UserType[])]);
}

function checkItemRef(value: unknown): KnowledgeRef | null {
  if (!value || typeof value !== 'object') return null;
  const { type, id } = value as { type?: unknown; id?: unknown };
  return isKnowledgeType(type) && isId(id) ? { type, id: String(id) } : null;
}

function checkArrival(value: unknown): Result<ArrivalCondition, Refusal> {
  if (value === undefined || value === null || value === 'any') return ok({ kind: 'any' });
  if (value === 'any_token') return ok({ kind: 'any_token' });
  if (typeof value !== 'object') return err(refuse(ErrorCodes.RULE_ARRIVAL_INVALID));
  const v = value as { kind?: unknown; tokenId?: unknown; item?: unknown };
  if (v.kind === 'any' || v.kind === 'any_token') return ok({ kind: v.kind });
  if (v.kind === 'token' && isId(v.tokenId) && /^\d{1,18}$/.test(String(v.tokenId))) return ok({ kind: 'token', tokenId: String(v.tokenId) });
  const item = v.kind === 'item_tokens' ? checkItemRef(v.item) : null;
  return item ? ok({ kind: 'item_tokens', item }) : err(refuse(ErrorCodes.RULE_ARRIVAL_INVALID));
}

/** A domain as compared: lower case, without a leading `@` or `*.`. */
export const normaliseDomain = (d: string): string => d.trim().toLowerCase().replace(/^(\*\.|@)/, '');

function checkDomains(value: unknown): Result<DomainCondition | null, Refusal> {
  if (value === undefined || value === null) return ok(null);
  const bad = err(refuseWith(ErrorCodes.RULE_EMAIL_DOMAINS_INVALID, { max: RULE_DOMAINS_MAX }));
  if (typeof value !== 'object' || Array.isArray(value)) return bad;
  const { mode, domains } = value as { mode?: unknown; domains?: unknown };
  const list = listOf(domains)?.map(normaliseDomain);
  if ((mode !== 'in' && mode !== 'not_in') || !list || list.length > RULE_DOMAINS_MAX || !list.every((d) => DOMAIN.test(d))) return bad;
  // An empty list is no condition at all.
  return ok(list.length === 0 ? null : { mode, domains: [...new Set(list)] });
}

function checkCampaigns(value: unknown): Result<string[] | null, Refusal> {
  const list = listOf(value);
  if (!list || list.length > RULE_CAMPAIGNS_MAX || list.some((c) => c.length > CAMPAIGN_MAX || HOSTILE.test(c) || hasControlCharacters(c))) {
    return err(refuseWith(ErrorCodes.RULE_CAMPAIGNS_INVALID, { max: RULE_CAMPAIGNS_MAX }));
  }
  return ok(list.length === 0 ? null : [...new Set(list)]);
}

function checkItems(value: unknown): Result<KnowledgeRef[], Refusal> {
  const bad = err(refuseWith(ErrorCodes.RULE_ITEMS_INVALID, { max: RULE_ITEMS_MAX }));
  if (!Array.isArray(value) || value.length === 0 || value.length > RULE_ITEMS_MAX) return bad;
  const refs = value.map(checkItemRef);
  if (refs.some((r) => r === null)) return bad;
  const keys = new Set(refs.map((r) => `${r!.type}:${r!.id}`));
  return keys.size === refs.length ? ok(refs as KnowledgeRef[]) : bad;
}

function checkFlag(value: unknown, fallback: boolean): boolean | null {
  if (value === undefined || value === null) return fallback;
  if (value === true || value === 'true' || value === 'on' || value === '1') return true;
  if (value === false || value === 'false' || value === 'off' || value === '0') return false;
  return null;
}

/**
 * Checks a whole rule: name, user types (Prospect when absent), how people came, email domains,
 * campaigns, items, and the two switches (enabled unless said otherwise; keep enrolments when
 * someone stops matching unless said otherwise). Every refusal is kept, in form order. Whether
 * the items and a named token exist is the caller's question (it needs the host and the store).
 */
export function checkRule(input: RuleInput): Result<CheckedRule, RuleRefusals> {
  const refusals: Refusal[] = [];
  const take = <T>(r: Result<T, Refusal>): T | undefined => {
    if (r.ok) return r.value;
    refusals.push(r.error);
    return undefined;
  };
  const name = take(checkName(input.name));
  const userTypes = take(checkUserTypes(input.userTypes));
  const arrival = take(checkArrival(input.arrival));
  const emailDomains = take(checkDomains(input.emailDomains));
  const campaigns = take(checkCampaigns(input.campaigns));
  const enrolIn = take(checkItems(input.enrolIn));
  const enabled = checkFlag(input.enabled, true);
  const withdrawOnUnmatch = checkFlag(input.withdrawOnUnmatch, false);
  if (enabled === null || withdrawOnUnmatch === null) refusals.push(refuse(ErrorCodes.VALIDATION_FAILED));
  if (refusals.length > 0) return err({ ...refusals[0]!, ...(refusals.length > 1 && { others: refusals.slice(1) }) });
  return ok({
    name: name!, enabled: enabled!, withdrawOnUnmatch: withdrawOnUnmatch!, enrolIn: enrolIn!,
    conditions: { userTypes: userTypes!, arrival: arrival!, emailDomains: emailDomains ?? null, campaigns: campaigns ?? null },
  });
}

/** A change: the rule's fields with the change laid over them, checked as a whole. */
export function checkRuleChange(before: EnrolmentRule, change: RuleInput): Result<CheckedRule, RuleRefusals> {
  const c = before.conditions;
  const has = (k: keyof RuleInput) => Object.prototype.hasOwnProperty.call(change, k) && change[k] !== undefined;
  return checkRule({
    name: has('name') ? change.name : before.name,
    enabled: has('enabled') ? change.enabled : before.enabled,
    userTypes: has('userTypes') ? change.userTypes : c.userTypes,
    arrival: has('arrival') ? change.arrival : c.arrival,
    emailDomains: has('emailDomains') ? change.emailDomains : c.emailDomains,
    campaigns: has('campaigns') ? change.campaigns : c.campaigns,
    enrolIn: has('enrolIn') ? change.enrolIn : before.enrolIn,
    withdrawOnUnmatch: has('withdrawOnUnmatch') ? change.withdrawOnUnmatch : before.withdrawOnUnmatch,
  });
}
