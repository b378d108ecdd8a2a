/* A rule and its latest run in words, for the Enrolment rules panel and the dry-run page. */
import type { EnrolmentRule } from '../../../domain/rules/enrolment-rule.js';
import type { RuleRun } from '../../../domain/ports/rule-backfill.port.js';
import { messages } from '../shared/messages.js';

export function ruleLine(rule: EnrolmentRule, titleOf: (type: string, id: string) => string) {
  const r = messages.rules;
  const c = rule.conditions;
  const conditions = [r.summary.types(c.userTypes.map((t) => r.typeLabels[t] ?? t).join(', '))];
  if (c.arrival.kind === 'any_token') conditions.push(r.summary.anyToken);
  if (c.arrival.kind === 'token') conditions.push(r.summary.token(c.arrival.tokenId));
  if (c.arrival.kind === 'item_tokens') conditions.push(r.summary.itemTokens(titleOf(c.arrival.item.type, c.arrival.item.id)));
  if (c.emailDomains) conditions.push((c.emailDomains.mode === 'in' ? r.summary.domainsIn : r.summary.domainsNotIn)(c.emailDomains.domains.join(', ')));
  if (c.campaigns) conditions.push(r.summary.campaigns(c.campaigns.join(', ')));
  if (rule.withdrawOnUnmatch) conditions.push(r.summary.withdraws);
  return { id: rule.id, name: rule.name, enabled: rule.enabled, conditions: conditions.join(' · '), items: rule.enrolIn.map((i) => titleOf(i.type, i.id)) };
}

export function runLine(run: RuleRun | null, when: (d: Date) => string) {
  if (!run) return null;
  const made = Object.values(run.created).reduce((n, c) => n + c, 0);
  const r = messages.rules.run;
  const text = run.state === 'running' ? r.running(run.chunksDone, run.chunks, made) : run.state === 'done' ? r.done(made, when(run.finishedAt ?? run.startedAt)) : r.failed(run.error ?? '');
  return { state: run.state, text, chunks: run.chunks, chunksDone: run.chunksDone, made };
}
