import { ErrorCodes, refuse, type Refusal } from '../../domain/shared/errors.js';
import { err, ok, type Result } from '../../domain/shared/result.js';
import type { HostUser } from '../../domain/shared/user.js';
import { PERMISSION_IDS, type PermissionsPort } from '../../domain/ports/permissions.port.js';
import type { MailQueueAdmin } from '../../domain/ports/mail-queue-admin.port.js';

/** A Super admin puts one failed message back in the queue, due now. */
export class RetryMail {
  constructor(
    private readonly permissions: PermissionsPort,
    private readonly queue: MailQueueAdmin,
  ) {}

  async execute(actor: HostUser | null, id: string): Promise<Result<true, Refusal>> {
    if (!this.permissions.allows(PERMISSION_IDS.portalManage, actor)) return err(refuse(ErrorCodes.PERMISSION_DENIED));
    if (!/^\d{1,18}$/.test(id) || !(await this.queue.retry(id))) return err(refuse(ErrorCodes.MAIL_NOT_FOUND));
    return ok(true);
  }
}
