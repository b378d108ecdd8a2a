import type { MailQueueStatus, FailedMail } from '../mail/mail-queue.js';

export interface MailQueueAdmin {
  status(): Promise<MailQueueStatus>;
  /** Newest first. */
  latestFailures(limit: number): Promise<FailedMail[]>;
  /** Puts one failed message back in the queue, due now, with its tries reset. False unless it was failed. */
  retry(id: string): Promise<boolean>;
  /** Every failed message back in the queue; how many. */
  retryAllFailed(): Promise<number>;
}
