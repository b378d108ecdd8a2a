import type { DryRunResult } from '../../../application/rules/dry-run-rule.query.js';
import type { RuleView } from '../../../application/rules/list-rules.query.js';
import type { RuleRun } from '../../../domain/ports/rule-backfill.port.js';

const iso = (d: Date | null): string | null => (d ? d.toISOString() : null);

export function runJson(run: RuleRun | null) {
  if (!run) return null;
  return {
    id: run.id, state: run.state, chunks: run.chunks, chunksDone: run.chunksDone, created: run.created,
    startedBy: run.startedByName, startedAt: iso(run.startedAt), finishedAt: iso(run.finishedAt), error: run.error,
  };
}

/** A rule as the API shows it (the same fields a create or change body takes, plus id, times and the latest run). */
export function ruleJson({ rule, lastRun }: RuleView) {
  const c = rule.conditions;
  return {
    id: rule.id, name: rule.name, enabled: rule.enabled,
    userTypes: c.userTypes, arrival: c.arrival, emailDomains: c.emailDomains, campaigns: c.campaigns,
    enrolIn: rule.enrolIn, withdrawOnUnmatch: rule.withdrawOnUnmatch,
    createdAt: iso(rule.createdAt), updatedAt: iso(rule.updatedAt), lastRun: runJson(lastRun),
  };
}

export function dryRunJson(d: DryRunResult) {
  return { ruleId: d.rule.id, matched: d.matched, total: d.total, items: d.items, sample: d.sample };
}
