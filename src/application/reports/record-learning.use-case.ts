import type { KnowledgeRef } from '../../domain/shared/knowledge.js';
import { isKnowledgeType } from '../../domain/shared/knowledge.js';
import type { LearningStep, LearningStore } from '../../domain/ports/learning-store.port.js';

export interface LearningEvent {
  readonly userId: unknown;
  readonly item: unknown;
  readonly step: LearningStep;
}

const validDate = (d: Date): boolean => !Number.isNaN(d.getTime());

/**
 * A learning event from the host (started, progressed, completed): recorded on the registrant's
 * registration for that item, once; anyone who did not register through a token is not recorded.
 * Malformed payloads are ignored (an action hook must not fail the host).
 */
export class RecordLearningUseCase {
  constructor(private readonly store: LearningStore) {}

  async execute(e: LearningEvent): Promise<boolean> {
    const item = e.item as Partial<KnowledgeRef> | null;
    if (typeof e.userId !== 'string' || !item || !isKnowledgeType(item.type) || typeof item.id !== 'string' || !validDate(e.step.at)) return false;
    return this.store.record(e.userId, { type: item.type, id: item.id }, e.step);
  }
}
