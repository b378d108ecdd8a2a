import type { KnowledgeRef } from '../../domain/shared/knowledge.js';
import type { ClockPort } from '../../domain/ports/clock.port.js';
import type { RulePersonFacts } from '../../domain/ports/enrolment-rule-repository.port.js';

/**
 * An enrolment the host removed (enrolment.deleted). When an admin removed it by hand, or the
 * learner left the item, it is remembered: no rule enrols that person in that item again (the
 * backfill and user changes anti-join these). Removals by anything else (the item deleted, a
 * rule's own withdrawal) are not.
 */
export class RecordEnrolmentRemovalUseCase {
  constructor(
    private readonly facts: RulePersonFacts,
    private readonly clock: ClockPort,
  ) {}

  async execute(removal: { userId: string; item: KnowledgeRef; removedBy: 'admin' | 'learner' | 'other' }): Promise<boolean> {
    if (removal.removedBy === 'other') return false;
    await this.facts.suppress(removal.userId, removal.item, this.clock.now());
    return true;
  }
}
