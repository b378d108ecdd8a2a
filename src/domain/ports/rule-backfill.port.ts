import type { EnrolmentRule } from '../rules/enrolment-rule.js';
import type { KnowledgeRef } from '../shared/knowledge.js';
import type { SqlSelect } from './enrolments.port.js';
import type { Tx } from './unit-of-work.port.js';

/** A rule being applied to existing users (or applied): its progress, chunk by chunk. */
export interface RuleRun {
  readonly id: string;
  readonly ruleId: string;
  readonly state: 'running' | 'done' | 'failed';
  readonly chunks: number;
  readonly chunksDone: number;
  /** Enrolments created so far, per item (`topic:3`). */
  readonly created: Readonly<Record<string, number>>;
  readonly startedByName: string | null;
  readonly startedAt: Date;
  readonly finishedAt: Date | null;
  readonly error: string | null;
}

export interface RuleRuns {
  /** Null when a run of this rule is already running. */
  start(ruleId: string, by: { id: string; name: string } | null, at: Date): Promise<RuleRun | null>;
  progress(runId: string, update: { chunks?: number; chunksDone: number; created: Readonly<Record<string, number>> }, at: Date): Promise<void>;
  finish(runId: string, state: 'done' | 'failed', at: Date, error?: string): Promise<void>;
  latest(ruleId: string): Promise<RuleRun | null>;
  /** Runs left `running` by an instance that stopped (no progress since `staleBefore`) are marked failed. */
  failAbandoned(staleBefore: Date): Promise<number>;
}

/** Users' ids ordered as text: a chunk is (after, upTo], either end open when null. */
export interface IdRange {
  readonly after: string | null;
  readonly upTo: string | null;
}

/**
 * The set-based side of applying a rule: SELECTs joining the host's users (its `selectByType`) with
 * the plugin's registrations and manual removals, so that the whole backfill is a few statements
 * whatever the number of users.
 */
export interface RuleTargets {
  /** Ids that cut the rule's matching users into chunks of about `size`, ascending (n bounds: n + 1 chunks). */
  chunkBounds(rule: EnrolmentRule, users: SqlSelect, size: number, tx?: Tx): Promise<string[]>;
  /** Rows (user_id, item_type, item_id) of the users in `range` who match the rule, for `item`, without manual removals. */
  select(rule: EnrolmentRule, users: SqlSelect, item: KnowledgeRef, range: IdRange): SqlSelect;
  /** How many users match the rule (before manual removals and existing enrolments), and a few of their ids. */
  matched(rule: EnrolmentRule, users: SqlSelect, sample: number, tx?: Tx): Promise<{ count: number; sample: string[] }>;
  /** A SELECT of the given rows, for a host's `enrolSelected` when the plugin chose the rows itself. */
  rows(rows: readonly { userId: string; item: KnowledgeRef }[]): SqlSelect;
}
