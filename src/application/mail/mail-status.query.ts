import { ErrorCodes, refuse, type Refusal } from '../../domain/shared/errors.js';
import { err, ok, type Result } from '../../domain/shared/result.js';
import { canManagePortal, type HostUser } from '../../domain/shared/user.js';
import type { FailedMail, MailQueueAdmin, MailQueueStatus } from '../../domain/ports/notifications.port.js';

export interface MailOverview {
  readonly status: MailQueueStatus;
  readonly failures: readonly FailedMail[];
}

/** Failures listed in the Email delivery panel. */
export const FAILURES_SHOWN = 20;

/** What the outbox holds, and the latest failures: the Email delivery panel, for Super admins only. */
export class MailStatusQuery {
  constructor(private readonly queue: MailQueueAdmin) {}

  async execute(actor: HostUser | null): Promise<Result<MailOverview, Refusal>> {
    if (!canManagePortal(actor)) return err(refuse(ErrorCodes.PERMISSION_DENIED));
    const [status, failures] = await Promise.all([this.queue.status(), this.queue.latestFailures(FAILURES_SHOWN)]);
    return ok({ status, failures });
  }
}
