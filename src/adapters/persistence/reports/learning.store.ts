import type { Knex } from 'knex';
import { inject, injectable } from 'inversify';
import type { KnowledgeRef } from '../../../domain/shared/knowledge.js';
import type { LearningStep, LearningStore } from '../../../domain/ports/learning-store.port.js';
import { TYPES } from '../../../types.js';
import { REGISTRATIONS } from './report-sql.js';

/**
 * Learning steps on the registrant's registration row (one UPDATE through the (user_id, item)
 * index; no row, nothing written, so non-registrants leave no trace). Repeated or late events change
 * nothing they should not: the earliest start and completion stay, the latest outcome wins.
 */
@injectable()
export class KnexLearningStore implements LearningStore {
  constructor(@inject(TYPES.Database) private readonly knex: Knex) {}

  async record(userId: string, item: KnowledgeRef, step: LearningStep): Promise<boolean> {
    const k = this.knex;
    const at = step.at;
    const changes: Record<string, Knex.Raw> = {};
    // A learner who progressed or completed has started, whether or not the start was heard.
    changes.started_at = k.raw('least(coalesce(started_at, ?::timestamptz), ?::timestamptz)', [at, at]);
    if (step.kind === 'progressed') changes.progress_percent = k.raw('greatest(coalesce(progress_percent, 0), ?)', [Math.max(0, Math.min(100, Math.round(step.percent)))]);
    if (step.kind === 'completed') {
      changes.completed_at = k.raw('least(coalesce(completed_at, ?::timestamptz), ?::timestamptz)', [at, at]);
      changes.progress_percent = k.raw('100');
      const newer = 'outcome_at is null or outcome_at <= ?::timestamptz';
      changes.outcome = k.raw(`case when ${newer} then ? else outcome end`, [at, step.outcome]);
      changes.score = k.raw(`case when ${newer} then ?::integer else score end`, [at, step.score === null ? null : Math.round(step.score)]);
      changes.outcome_at = k.raw(`case when ${newer} then ?::timestamptz else outcome_at end`, [at, at]);
    }
    // The usage totals fold the newly reached step in.
    changes.rollup_pending = k.raw('true');
    const n = await k(REGISTRATIONS).where({ user_id: userId, item_type: item.type, item_id: item.id }).update(changes);
    return Number(n) > 0;
  }
}
