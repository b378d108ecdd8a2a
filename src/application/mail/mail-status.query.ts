import { ErrorCodes, refuse, type Refusal } from '../../domain/shared/errors.js';
import { err, ok, type Result } from '../../domain/shared/result.js';
import type { HostUser } from '../../domain/shared/user.js';
import { PERMISSION_IDS, type PermissionsPort } from '../../domain/ports/permissions.port.js';
import type { FailedMail, MailQueueStatus } from '../../domain/mail/mail-queue.js';
import type { MailQueueAdmin } from '../../domain/ports/mail-queue-admin.port.js';
import type { PortalPort } from '../../domain/ports/portal.port.js';
import { safeTimeZone } from '../../domain/shared/time-zone.js';

export interface MailOverview {
  readonly status: MailQueueStatus;
  readonly failures: readonly FailedMail[];
  /** The portal's time zone the times are shown in (UTC when the portal's is not a valid one). */
  readonly timeZone: string;
}

/** Failures listed in the Email delivery panel. */
export const FAILURES_SHOWN = 20;

/** What the outbox holds, and the latest failures: the Email delivery panel, for Super admins only. */
export class MailStatusQuery {
  constructor(
    private readonly permissions: PermissionsPort,
    private readonly queue: MailQueueAdmin,
    private readonly portal: PortalPort,
  ) {}

  async execute(actor: HostUser | null): Promise<Result<MailOverview, Refusal>> {
    if (!this.permissions.allows(PERMISSION_IDS.portalManage, actor)) return err(refuse(ErrorCodes.PERMISSION_DENIED));
    const [status, failures, portal] = await Promise.all([this.queue.status(), this.queue.latestFailures(FAILURES_SHOWN), this.portal.info()]);
    return ok({ status, failures, timeZone: safeTimeZone(portal.timeZone) });
  }
}
