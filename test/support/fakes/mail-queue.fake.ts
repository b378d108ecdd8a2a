import type { FailedMail, MailQueueStatus } from '../../../src/domain/mail/mail-queue.js';
import type { MailQueueAdmin } from '../../../src/domain/ports/mail-queue-admin.port.js';

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
