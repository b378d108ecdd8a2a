import type { KnowledgeRef } from '../shared/knowledge.js';
import type { LearningOutcome } from '../reports/registration-report.js';

export type LearningStep =
  | { readonly kind: 'started'; readonly at: Date }
  | { readonly kind: 'progressed'; readonly percent: number; readonly at: Date }
  | { readonly kind: 'completed'; readonly outcome: LearningOutcome; readonly score: number | null; readonly at: Date };

/** Learning progress of registrants, heard from the host's learning events, kept on their registration. */
export interface LearningStore {
  /**
   * Records a step for (user, item) when the user registered in the item through a token; anything
   * else is ignored. Idempotent: the first start and completion are kept, the latest outcome wins.
   * True when it was a registrant's.
   */
  record(userId: string, item: KnowledgeRef, step: LearningStep): Promise<boolean>;
}
