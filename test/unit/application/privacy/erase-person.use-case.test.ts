import { expect } from 'chai';
import { ErasePersonUseCase } from '../../../../src/application/privacy/erase-person.use-case.js';
import { ChangeSignal } from '../../../../src/application/shared/read-cache.js';
import type { ErasureSubject } from '../../../../src/domain/privacy/erasure.js';
import type { PersonalDataHolder } from '../../../../src/domain/ports/personal-data.port.js';
import type { Tx, UnitOfWork } from '../../../../src/domain/ports/unit-of-work.port.js';
import type { NewAuditEntry } from '../../../../src/domain/audit/audit.js';
import type { AuditRepository } from '../../../../src/domain/ports/audit-repository.port.js';
import { FakeLogger } from '../../../support/fakes/logger.fake.js';
import { FakeClock } from '../../../support/fakes/clock.fake.js';

class RecordingAudit implements AuditRepository {
  readonly appended: { entries: readonly NewAuditEntry[]; tx: Tx | undefined }[] = [];
  async append(entries: readonly NewAuditEntry[], tx?: Tx): Promise<void> {
    this.appended.push({ entries, tx });
  }
  async list() {
    return { entries: [], hasMore: false };
  }
}
const clock = new FakeClock(new Date('2026-12-01T12:00:00Z'));

class RecordingUow implements UnitOfWork {
  runs = 0;
  async run<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
    this.runs += 1;
    return work({ n: this.runs });
  }
}

describe('ErasePersonUseCase', () => {
  const calls: string[] = [];
  const seen: { subject: ErasureSubject; tx: Tx }[] = [];
  const holder = (id: string, known?: { emails: string[]; names: string[] }): PersonalDataHolder => ({
    id, tables: [`selfreg_${id}`],
    ...(known && { identify: async (userId: string) => (calls.push(`identify ${id} ${userId}`), known) }),
    erase: async (subject, tx) => (calls.push(`erase ${id}`), seen.push({ subject, tx }), 2),
  });
  beforeEach(() => {
    calls.length = 0;
    seen.length = 0;
  });

  it('asks every holder what it knows first, then erases with all of it, in one transaction', async () => {
    const uow = new RecordingUow();
    const signal = new ChangeSignal();
    const logger = new FakeLogger();
    const audit = new RecordingAudit();
    const use = new ErasePersonUseCase(uow, [holder('a', { emails: ['A@x.test'], names: ['Ann'] }), holder('b'), holder('c', { emails: ['b@x.test'], names: [] })], logger, audit, clock, signal);
    const counts = await use.execute({ userId: '7', reason: 'deleted' });
    expect(calls).to.deep.equal(['identify a 7', 'identify c 7', 'erase a', 'erase b', 'erase c']);
    expect(uow.runs).to.equal(1);
    expect(new Set(seen.map((s) => s.tx)).size).to.equal(1);
    expect(seen[0]!.subject).to.deep.equal({ userId: '7', emails: ['a@x.test', 'b@x.test'], names: ['Ann'] });
    expect(counts).to.deep.equal({ a: 2, b: 2, c: 2 });
    expect(signal.current).to.equal(1);
    // One audit entry, in the same transaction, by the system, naming no one.
    expect(audit.appended).to.have.length(1);
    expect(audit.appended[0]!.tx).to.equal(seen[0]!.tx);
    expect(audit.appended[0]!.entries.map((e) => ({ action: e.action, via: e.actor.via, details: e.details }))).to.deep.equal([{ action: 'person.erased', via: 'system', details: { reason: 'deleted', rows: 6, registrations: 0 } }]);
    expect(logger.lines.map((l) => l.message).join(' ')).to.contain('erased').and.not.to.contain('7').and.not.to.contain('Ann');
  });

  it('does nothing for a blank id', async () => {
    const uow = new RecordingUow();
    expect(await new ErasePersonUseCase(uow, [holder('a')], new FakeLogger(), new RecordingAudit(), clock).execute({ userId: ' ', reason: 'erased' })).to.deep.equal({});
    expect(uow.runs).to.equal(0);
  });

  it('lets a failing holder fail the whole erasure (the transaction rolls back)', async () => {
    const failing: PersonalDataHolder = { id: 'x', tables: [], erase: () => Promise.reject(new Error('boom')) };
    const use = new ErasePersonUseCase(new RecordingUow(), [holder('a'), failing], new FakeLogger(), new RecordingAudit(), clock);
    let error: unknown;
    await use.execute({ userId: '7', reason: 'deleted' }).catch((e: unknown) => (error = e));
    expect(String(error)).to.contain('boom');
  });
});
