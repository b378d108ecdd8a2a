import type { KnowledgeRef } from '../../../src/domain/shared/knowledge.js';
import type { ClaimedDigest, DigestEntry, NewDigestEntry, PendingDigestEntry } from '../../../src/domain/notifications/digest-entry.js';
import type { DigestStore } from '../../../src/domain/ports/digest-store.port.js';
import type { Tx } from '../../../src/domain/ports/unit-of-work.port.js';
import type { FakeDb } from './fake-db.js';

const key = (ref: KnowledgeRef): string => `${ref.type}:${ref.id}`;

interface StoredEntry extends DigestEntry {
  digestId: string | null;
}

export class FakeDigestStore implements DigestStore {
  readonly entries: StoredEntry[] = [];
  readonly digests: { id: string; item: KnowledgeRef; day: string; part: number; recipients: number | null }[] = [];
  private next = 0;
  constructor(private readonly db: FakeDb) {}

  async add(entry: NewDigestEntry, tx: Tx): Promise<void> {
    this.db.inTx(tx);
    this.entries.push({ ...entry, id: `entry-${++this.next}`, digestId: null });
  }
  async pending(before: Date, limit: number): Promise<PendingDigestEntry[]> {
    return this.entries
      .filter((e) => e.digestId === null && e.at.getTime() < before.getTime())
      .sort((a, b) => a.at.getTime() - b.at.getTime())
      .slice(0, limit)
      .map((e) => ({ item: e.item, at: e.at }));
  }
  async claim(input: { item: KnowledgeRef; day: string; from: Date; to: Date }, tx: Tx): Promise<ClaimedDigest | null> {
    this.db.inTx(tx);
    const mine = this.entries.filter(
      (e) => e.digestId === null && key(e.item) === key(input.item) && e.at.getTime() >= input.from.getTime() && e.at.getTime() < input.to.getTime(),
    );
    if (mine.length === 0) return null;
    const part = this.digests.filter((d) => key(d.item) === key(input.item) && d.day === input.day).length + 1;
    const id = `digest-${++this.next}`;
    this.digests.push({ id, item: input.item, day: input.day, part, recipients: null });
    for (const e of mine) e.digestId = id;
    return { digestId: id, part, entries: mine.map(({ digestId: _d, ...e }) => e) };
  }
  async recordSent(digestId: string, recipients: number, tx: Tx): Promise<void> {
    this.db.inTx(tx);
    this.digests.find((d) => d.id === digestId)!.recipients = recipients;
  }
}
