import type { MailTemplate } from './outgoing-mail.js';

export interface MailQueueStatus {
  /** Waiting or being sent now. */
  readonly queued: number;
  /** Of the queued: waiting for another try after an error. */
  readonly retrying: number;
  readonly sent: number;
  readonly failed: number;
  readonly oldestQueuedAt: Date | null;
  /** The newest error among messages still waiting for another try. */
  readonly lastRetryError: string | null;
}

export interface FailedMail {
  readonly id: string;
  readonly to: string;
  readonly template: MailTemplate;
  readonly attempts: number;
  readonly error: string;
  readonly failedAt: Date | null;
  readonly createdAt: Date;
}
