import type { Knex } from 'knex';
import { inject, injectable } from 'inversify';
import type { RuleRun, RuleRuns } from '../../../domain/ports/rule-backfill.port.js';
import { TYPES } from '../../../types.js';
import { dateOrNull, idString } from '../../shared/knex-helpers.js';

const TABLE = 'selfreg_rule_runs';

interface RunRow {
  id: string | number; rule_id: string | number; state: RuleRun['state']; chunks: number; chunks_done: number;
  created: Record<string, number> | string; started_by_name: string | null; started_at: string | Date; finished_at: string | Date | null; error: string | null;
}

const runOf = (r: RunRow): RuleRun => ({
  id: idString(r.id), ruleId: idString(r.rule_id), state: r.state, chunks: r.chunks, chunksDone: r.chunks_done,
  created: typeof r.created === 'string' ? (JSON.parse(r.created) as Record<string, number>) : r.created,
  startedByName: r.started_by_name, startedAt: new Date(r.started_at), finishedAt: dateOrNull(r.finished_at), error: r.error,
});

/** The rows the portal panel polls while a rule is applied to existing users. Each write commits at once (outside the chunks' transactions). */
@injectable()
export class KnexRuleRuns implements RuleRuns {
  constructor(@inject(TYPES.Database) private readonly knex: Knex) {}

  async start(ruleId: string, by: { id: string; name: string } | null, at: Date): Promise<RuleRun | null> {
    const rows = (await this.knex(TABLE)
      .insert({ rule_id: ruleId, started_by: by?.id ?? null, started_by_name: by?.name.slice(0, 200) ?? null, started_at: at, updated_at: at })
      .onConflict(this.knex.raw(`(rule_id) where state = 'running'`)).ignore()
      .returning('*')) as RunRow[];
    return rows[0] ? runOf(rows[0]) : null;
  }

  async progress(runId: string, update: { chunks?: number; chunksDone: number; created: Readonly<Record<string, number>> }, at: Date): Promise<void> {
    await this.knex(TABLE).where({ id: runId }).update({
      ...(update.chunks !== undefined && { chunks: update.chunks }), chunks_done: update.chunksDone, created: JSON.stringify(update.created), updated_at: at,
    });
  }

  async finish(runId: string, state: 'done' | 'failed', at: Date, error?: string): Promise<void> {
    await this.knex(TABLE).where({ id: runId }).update({ state, finished_at: at, updated_at: at, error: error?.slice(0, 500) ?? null });
  }

  async latest(ruleId: string): Promise<RuleRun | null> {
    if (!/^\d{1,18}$/.test(ruleId)) return null;
    const row = (await this.knex(TABLE).where({ rule_id: ruleId }).orderBy('id', 'desc').first()) as RunRow | undefined;
    return row ? runOf(row) : null;
  }

  async failAbandoned(staleBefore: Date): Promise<number> {
    const rows = (await this.knex(TABLE).where({ state: 'running' }).andWhere('updated_at', '<', staleBefore)
      .update({ state: 'failed', finished_at: staleBefore, error: 'The instance running it stopped; apply the rule again (it is idempotent).' }).returning('id')) as unknown[];
    return rows.length;
  }
}
