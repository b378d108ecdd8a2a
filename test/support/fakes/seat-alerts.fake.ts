import type { KnowledgeItem } from '../../../src/domain/shared/knowledge.js';
import type { SeatAlerts } from '../../../src/application/registration/seat-alerts.js';

/** Seat-limit alerts as told: the items of every call. */
export class FakeSeatAlerts implements SeatAlerts {
  readonly items: KnowledgeItem[] = [];
  fail = false;
  async seatsExhausted(item: KnowledgeItem): Promise<void> {
    if (this.fail) throw new Error('outbox down');
    this.items.push(item);
  }
}
