import type { AuditEntry, NewAuditEntry } from '../../../src/domain/audit/audit.js';
import type { AuditQuery, AuditRepository } from '../../../src/domain/ports/audit-repository.port.js';
import type { Tx } from '../../../src/domain/ports/unit-of-work.port.js';
import { sameRef, type FakeDb } from './fake-db.js';

/** The audit log in the shared state, so a rolled-back unit of work takes its entries with it. */
export class FakeAudit implements AuditRepository {
  constructor(private readonly db: FakeDb) {}
  get entries(): AuditEntry[] {
    return (this.db.state.audit ??= []);
  }
  async append(entries: readonly NewAuditEntry[], tx?: Tx): Promise<void> {
    if (tx) this.db.inTx(tx);
    const log = (this.db.state.audit ??= []);
    for (const e of entries) log.push({ ...e, id: this.db.newId('audit-') });
  }
  async list(query: AuditQuery): Promise<{ entries: AuditEntry[]; hasMore: boolean }> {
    let list = [...(this.db.state.audit ?? [])].reverse().filter(
      (e) => (!query.item || (e.item !== null && sameRef(e.item, query.item))) && (!query.tokenId || e.tokenId === query.tokenId),
    );
    if (query.beforeId) {
      const at = list.findIndex((e) => e.id === query.beforeId);
      list = at < 0 ? [] : list.slice(at + 1);
    }
    return { entries: list.slice(0, query.limit), hasMore: list.length > query.limit };
  }
}
