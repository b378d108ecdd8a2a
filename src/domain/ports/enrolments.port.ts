import type { KnowledgeRef } from '../shared/knowledge.js';
import type { Tx } from './unit-of-work.port.js';

/** Why an enrolment exists (contract 1.1): a token's registration, an enrolment rule, or anything else. */
export interface EnrolmentSource {
  readonly kind: 'token' | 'rule' | 'other';
  readonly ref?: string;
}

/** A plain SELECT with `?` placeholders, handed between the host and the plugin for set-based work. */
export interface SqlSelect {
  readonly sql: string;
  readonly bindings: readonly unknown[];
}

export type WithdrawResult =
  | { readonly withdrawn: true }
  | { readonly withdrawn: false; readonly reason: 'not_enrolled' | 'other_source' | 'started' };

export interface EnrolmentsPort {
  /** Idempotent: enrolling an enrolled user changes nothing and reports created=false. */
  enrol(userId: string, item: KnowledgeRef, tx?: Tx): Promise<{ created: boolean }>;
  isEnrolled(userId: string, item: KnowledgeRef, tx?: Tx): Promise<boolean>;
  /** Optional (1.1): `enrol` recording why; an existing enrolment keeps its source. */
  enrolFrom?(userId: string, item: KnowledgeRef, source: EnrolmentSource, tx?: Tx): Promise<{ created: boolean }>;
  /** Optional (1.1): enrols every row (user_id, item_type, item_id) of `select` in one statement, skipping existing ones. */
  enrolSelected?(select: SqlSelect, source: EnrolmentSource, tx?: Tx): Promise<{ created: number }>;
  /** Optional (1.1): removes the enrolment only if it has this source and is unstarted. */
  withdraw?(userId: string, item: KnowledgeRef, onlyIf: { readonly source: EnrolmentSource }, tx?: Tx): Promise<WithdrawResult>;
}
