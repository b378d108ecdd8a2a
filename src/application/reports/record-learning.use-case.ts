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
  constructor(
    private readonly store: LearningStore,
    /** Told of a registrant's completion once it is recorded (webhooks); absent: nobody is. */
    private readonly completions: { completed(userId: string, item: KnowledgeRef): Promise<void> } | null = null,
  ) {}

  async execute(e: LearningEvent): Promise<boolean> {
    const item = e.item as Partial<KnowledgeRef> | null;
    if (typeof e.userId !== 'string' || !item || !isKnowledgeType(item.type) || typeof item.id !== 'string' || !validDate(e.step.at)) return false;
    const ref = { type: item.type, id: item.id };
    const recorded = await this.store.record(e.userId, ref, e.step);
    if (recorded && e.step.kind === 'completed') await this.completions?.completed(e.userId, ref);
    return recorded;
  }
}
