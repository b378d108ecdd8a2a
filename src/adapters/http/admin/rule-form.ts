/* The rule form of the Enrolment rules panel: what its fields post, read into a rule's input, and a rule (or a refused post) back into the fields. */
import type { EnrolmentRule, RuleInput, RuleRefusals } from '../../../domain/rules/enrolment-rule.js';
import type { KnowledgeItem } from '../../../domain/shared/knowledge.js';
import { errorMessage } from '../shared/messages.js';
import { fieldOf } from '../shared/error-fields.js';
import { parseItemParam, itemParam } from '../shared/item-param.js';
import type { Body } from './admin-request.js';

const list = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : v === undefined || v === '' ? [] : [String(v)]);
const text = (v: unknown): string => (typeof v === 'string' ? v : '');

/** The values the form shows: a rule's, or what a refused post held (nothing typed is lost). */
export interface RuleFormValues {
  readonly name: string;
  readonly userTypes: readonly string[];
  readonly arrivalKind: string;
  readonly arrivalToken: string;
  readonly arrivalItem: string;
  readonly domainMode: string;
  readonly domains: string;
  readonly campaigns: string;
  readonly enrolIn: readonly string[];
  readonly withdrawOnUnmatch: boolean;
  readonly enabled: boolean;
}

export const EMPTY_FORM: RuleFormValues = {
  name: '', userTypes: ['prospect'], arrivalKind: 'any', arrivalToken: '', arrivalItem: '', domainMode: 'none', domains: '', campaigns: '', enrolIn: [], withdrawOnUnmatch: false, enabled: true,
};

export function formOfBody(body: Body): RuleFormValues {
  return {
    name: text(body.name), userTypes: list(body.userTypes), arrivalKind: text(body.arrivalKind) || 'any', arrivalToken: text(body.arrivalToken).trim(),
    arrivalItem: text(body.arrivalItem), domainMode: text(body.domainMode) || 'none', domains: text(body.domains), campaigns: text(body.campaigns),
    enrolIn: list(body.enrolIn), withdrawOnUnmatch: body.withdrawOnUnmatch === 'on', enabled: body.enabled === 'on',
  };
}

export function formOfRule(rule: EnrolmentRule): RuleFormValues {
  const c = rule.conditions;
  return {
    name: rule.name, userTypes: c.userTypes, arrivalKind: c.arrival.kind,
    arrivalToken: c.arrival.kind === 'token' ? c.arrival.tokenId : '', arrivalItem: c.arrival.kind === 'item_tokens' ? itemParam(c.arrival.item) : '',
    domainMode: c.emailDomains?.mode ?? 'none', domains: c.emailDomains?.domains.join('\n') ?? '', campaigns: c.campaigns?.join(', ') ?? '',
    enrolIn: rule.enrolIn.map(itemParam), withdrawOnUnmatch: rule.withdrawOnUnmatch, enabled: rule.enabled,
  };
}

/** The form's values as a rule's input (the domain checks them). */
export function inputOfForm(f: RuleFormValues): RuleInput {
  const arrival = f.arrivalKind === 'token' ? { kind: 'token', tokenId: f.arrivalToken }
    : f.arrivalKind === 'item_tokens' ? { kind: 'item_tokens', item: parseItemParam(f.arrivalItem) }
    : { kind: f.arrivalKind };
  return {
    name: f.name, userTypes: f.userTypes, arrival, campaigns: f.campaigns, withdrawOnUnmatch: f.withdrawOnUnmatch, enabled: f.enabled,
    emailDomains: f.domainMode === 'none' ? null : { mode: f.domainMode, domains: f.domains },
    enrolIn: f.enrolIn.map((v) => parseItemParam(v) ?? { type: 'unknown', id: v }),
  };
}

/** Each refused field's sentence, by the form's field name. */
export function fieldErrors(refusal: RuleRefusals): Record<string, string> {
  const out: Record<string, string> = {};
  for (const r of [refusal, ...(refusal.others ?? [])]) out[fieldOf(r.code) ?? 'form'] ??= errorMessage(r.code);
  return out;
}

/** The picker's options: every item by type and title, library content marked. */
export function itemOptions(items: readonly KnowledgeItem[]) {
  return [...items]
    .sort((a, b) => a.ref.type.localeCompare(b.ref.type) || a.title.localeCompare(b.title))
    .map((i) => ({ value: itemParam(i.ref), text: `${i.title} (${i.ref.type}${i.origin === 'library' ? ', library' : ''})` }));
}
