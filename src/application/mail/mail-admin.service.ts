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

/** The Email delivery panel: what the outbox holds, and retrying what failed. Super admins only. */
export class MailAdminService {
  constructor(private readonly queue: MailQueueAdmin) {}

  async overview(actor: HostUser | null): Promise<Result<MailOverview, Refusal>> {
    if (!canManagePortal(actor)) return err(refuse(ErrorCodes.PERMISSION_DENIED));
    const [status, failures] = await Promise.all([this.queue.status(), this.queue.latestFailures(FAILURES_SHOWN)]);
    return ok({ status, failures });
  }

  async retry(actor: HostUser | null, id: string): Promise<Result<true, Refusal>> {
    if (!canManagePortal(actor)) return err(refuse(ErrorCodes.PERMISSION_DENIED));
    if (!/^\d{1,18}$/.test(id) || !(await this.queue.retry(id))) return err(refuse(ErrorCodes.MAIL_NOT_FOUND));
    return ok(true);
  }

  async retryAll(actor: HostUser | null): Promise<Result<number, Refusal>> {
    if (!canManagePortal(actor)) return err(refuse(ErrorCodes.PERMISSION_DENIED));
    return ok(await this.queue.retryAllFailed());
  }
}
