/*
 * In-memory fakes of the notification and mail-queue ports, next to the shared fakes (fakes.ts).
 * Writes that belong in a registration's transaction check they are made on the open one; the
 * notification settings record the transaction they were read on.
 */
import type { KnowledgeRef } from '../../src/domain/shared/knowledge.js';
import { DEFAULT_NOTIFICATION_SETTINGS, type NotificationSettings } from '../../src/domain/notifications/notification-settings.js';
import type {
  ClaimedDigest, DigestEntry, DigestStore, FailedMail, MailQueueAdmin, MailQueueStatus, NewDigestEntry, NotificationSettingsRepository, PendingDigestEntry,
} from '../../src/domain/ports/notifications.port.js';
import type { Tx } from '../../src/domain/ports/unit-of-work.port.js';
import type { FakeDb } from './fakes.js';

const key = (ref: KnowledgeRef): string => `${ref.type}:${ref.id}`;

export class FakeNotificationSettings implements NotificationSettingsRepository {
  readonly stored = new Map<string, NotificationSettings>();
  /** The transaction (or undefined) of each read. */
  readonly reads: (Tx | undefined)[] = [];
  readonly saves: { item: KnowledgeRef; settings: NotificationSettings; actorId: string }[] = [];

  async get(item: KnowledgeRef, tx?: Tx): Promise<NotificationSettings> {
    this.reads.push(tx);
    return this.stored.get(key(item)) ?? DEFAULT_NOTIFICATION_SETTINGS;
  }
  async save(item: KnowledgeRef, settings: NotificationSettings, actorId: string): Promise<void> {
    this.saves.push({ item, settings, actorId });
    this.stored.set(key(item), settings);
  }
  set(item: KnowledgeRef, settings: NotificationSettings): void {
    this.stored.set(key(item), settings);
  }
  async deleteForItem(item: KnowledgeRef): Promise<boolean> {
    return this.stored.delete(key(item));
  }
}

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

export class FakeMailQueue implements MailQueueAdmin {
  failed: FailedMail[] = [];
  requeued: string[] = [];
  statusValue: MailQueueStatus = { queued: 3, retrying: 1, sent: 10, failed: 0, oldestQueuedAt: null, lastRetryError: '451 later' };

  async status(): Promise<MailQueueStatus> {
    return { ...this.statusValue, failed: this.failed.length };
  }
  async latestFailures(limit: number): Promise<FailedMail[]> {
    return this.failed.slice(0, limit);
  }
  async retry(id: string): Promise<boolean> {
    const i = this.failed.findIndex((f) => f.id === id);
    if (i < 0) return false;
    this.failed.splice(i, 1);
    this.requeued.push(id);
    return true;
  }
  async retryAllFailed(): Promise<number> {
    const n = this.failed.length;
    this.requeued.push(...this.failed.map((f) => f.id));
    this.failed = [];
    return n;
  }
}
