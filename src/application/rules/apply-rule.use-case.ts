import { auditActor, displayName, PANEL, type Channel } from '../../domain/audit/audit.js';
import { ruleAppliedEntry } from '../../domain/rules/rule-audit.js';
import { ErrorCodes, refuse, type Refusal } from '../../domain/shared/errors.js';
import { err, ok, type Result } from '../../domain/shared/result.js';
import type { HostUser } from '../../domain/shared/user.js';
import type { AuditRepository } from '../../domain/ports/audit-repository.port.js';
import type { ClockPort } from '../../domain/ports/clock.port.js';
import type { EnrolmentRuleRepository } from '../../domain/ports/enrolment-rule-repository.port.js';
import type { LoggerPort } from '../../domain/ports/logger.port.js';
import { PERMISSION_IDS, type PermissionsPort } from '../../domain/ports/permissions.port.js';
import type { RuleRun, RuleRuns } from '../../domain/ports/rule-backfill.port.js';
import type { RuleBackfill } from './rule-backfill.js';
import { denied, ruleNotFound, rulesUnavailable } from './rule-refusals.js';

/** A run left without progress this long is taken for one whose instance stopped. */
export const ABANDONED_RUN_MS = 10 * 60_000;

export interface StartedRun {
  readonly run: RuleRun;
  /** Settles when the run has finished (done or failed); callers that answer at once need not wait. */
  readonly finished: Promise<RuleRun | null>;
}

/**
 * Applies a switched-on rule to existing users, in the background: a run row records its chunks
 * and the enrolments made per item as each chunk commits (what the portal panel polls), one run
 * per rule at a time. Idempotent: applying again creates only what is missing.
 */
export class ApplyRuleUseCase {
  constructor(
    private readonly permissions: PermissionsPort,
    private readonly rules: EnrolmentRuleRepository,
    private readonly runs: RuleRuns,
    private readonly backfill: RuleBackfill,
    private readonly audit: AuditRepository,
    private readonly clock: ClockPort,
    private readonly logger: LoggerPort,
    private readonly available: boolean,
  ) {}

  async execute(actor: HostUser | null, id: string, channel: Channel = PANEL): Promise<Result<StartedRun, Refusal>> {
    if (!this.permissions.allows(PERMISSION_IDS.rulesManage, actor)) return denied();
    if (!this.available) return rulesUnavailable();
    const rule = await this.rules.get(id);
    if (!rule) return ruleNotFound();
    if (!rule.enabled) return err(refuse(ErrorCodes.RULE_DISABLED));
    const now = this.clock.now();
    await this.runs.failAbandoned(new Date(now.getTime() - ABANDONED_RUN_MS));
    const run = await this.runs.start(rule.id, { id: actor!.id, name: displayName(actor!) }, now);
    if (!run) return err(refuse(ErrorCodes.RULE_RUN_IN_PROGRESS));
    const finished = this.backfill
      .apply(rule, (p) => this.runs.progress(run.id, p, this.clock.now()))
      .then(async (created) => {
        const at = this.clock.now();
        await this.runs.finish(run.id, 'done', at);
        const total = Object.values(created).reduce((n, c) => n + c, 0);
        await this.audit.append([ruleAppliedEntry(rule, run.id, total, auditActor(actor!, channel), at)]);
      })
      .catch(async (e: unknown) => {
        const message = e instanceof Error ? e.message : String(e);
        this.logger.error('Applying an enrolment rule failed', { ruleId: rule.id, runId: run.id, error: message });
        // What committed stays (each chunk is whole); applying again completes it.
        await this.runs.finish(run.id, 'failed', this.clock.now(), 'The run stopped on an error; what it enrolled is kept. Apply the rule again to complete it.').catch(() => {});
      })
      .then(() => this.runs.latest(rule.id));
    return ok({ run, finished });
  }
}
