import type { KnowledgeRef } from '../../../src/domain/shared/knowledge.js';
import type { EnrolmentsPort } from '../../../src/domain/ports/enrolments.port.js';
import type { Tx } from '../../../src/domain/ports/unit-of-work.port.js';
import { sameRef, type FakeDb } from './fake-db.js';

export class FakeEnrolments implements EnrolmentsPort {
  constructor(private readonly db: FakeDb) {}

  async enrol(userId: string, item: KnowledgeRef, tx?: Tx): Promise<{ created: boolean }> {
    const state = this.db.inTx(tx);
    if (await this.isEnrolled(userId, item)) return { created: false };
    state.enrolments.push({ userId, item: { type: item.type, id: item.id } });
    return { created: true };
  }
  async isEnrolled(userId: string, item: KnowledgeRef): Promise<boolean> {
    return this.db.state.enrolments.some((e) => e.userId === userId && sameRef(e.item, item));
  }
}
