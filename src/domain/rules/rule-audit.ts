/*
 * The audit log's entries for enrolment rules: every change, with the rule's name and what
 * changed, and each application to existing users with how many enrolments it made.
 */
import type { AuditActor, NewAuditEntry } from '../audit/audit.js';
import type { CheckedRule, EnrolmentRule } from './enrolment-rule.js';

const portalWide = { tokenId: null, tokenNickname: null, item: null } as const;

/** What a rule says, in one line (kept in the log, so it outlives the rule). */
export function ruleSummary(rule: CheckedRule): string {
  const c = rule.conditions;
  const parts = [`types ${c.userTypes.join('/')}`];
  if (c.arrival.kind === 'any_token') parts.push('any token');
  if (c.arrival.kind === 'token') parts.push(`token ${c.arrival.tokenId}`);
  if (c.arrival.kind === 'item_tokens') parts.push(`tokens of ${c.arrival.item.type} ${c.arrival.item.id}`);
  if (c.emailDomains) parts.push(`domain ${c.emailDomains.mode === 'in' ? 'in' : 'not in'} ${c.emailDomains.domains.join(' ')}`);
  if (c.campaigns) parts.push(`campaign ${c.campaigns.join(' ')}`);
  parts.push(`enrols in ${rule.enrolIn.map((i) => `${i.type} ${i.id}`).join(', ')}`);
  if (rule.withdrawOnUnmatch) parts.push('withdraws');
  return parts.join('; ').slice(0, 1000);
}

export function ruleCreatedEntry(rule: EnrolmentRule, actor: AuditActor, at: Date): NewAuditEntry {
  return { at, action: 'rule.created', actor, ...portalWide, details: { ruleId: rule.id, name: rule.name, enabled: rule.enabled, summary: ruleSummary(rule) } };
}

/** A switch only (on/off) is logged as such; anything else as a change with the rule's new summary. */
export function ruleChangedEntries(before: EnrolmentRule, after: EnrolmentRule, actor: AuditActor, at: Date): NewAuditEntry[] {
  const out: NewAuditEntry[] = [];
  const base = { at, actor, ...portalWide };
  if (ruleSummary(before) !== ruleSummary(after) || before.name !== after.name) {
    out.push({ ...base, action: 'rule.changed', details: { ruleId: after.id, name: after.name, summary: ruleSummary(after), from: before.name } });
  }
  if (before.enabled !== after.enabled) out.push({ ...base, action: after.enabled ? 'rule.enabled' : 'rule.disabled', details: { ruleId: after.id, name: after.name } });
  return out;
}

export function ruleDeletedEntry(rule: EnrolmentRule, actor: AuditActor, at: Date): NewAuditEntry {
  return { at, action: 'rule.deleted', actor, ...portalWide, details: { ruleId: rule.id, name: rule.name, summary: ruleSummary(rule) } };
}

export function ruleAppliedEntry(rule: EnrolmentRule, runId: string, created: number, actor: AuditActor, at: Date): NewAuditEntry {
  return { at, action: 'rule.applied', actor, ...portalWide, details: { ruleId: rule.id, name: rule.name, runId, created } };
}
