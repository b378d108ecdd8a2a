import { ErrorCodes, refuse, type Refusal } from '../../domain/shared/errors.js';
import { err, ok, type Result } from '../../domain/shared/result.js';
import type { HostUser } from '../../domain/shared/user.js';
import { PERMISSION_IDS, type PermissionsPort } from '../../domain/ports/permissions.port.js';
import type { MailQueueAdmin } from '../../domain/ports/mail-queue-admin.port.js';

/** A Super admin puts every failed message back in the queue; how many. */
export class RetryAllMail {
  constructor(
    private readonly permissions: PermissionsPort,
    private readonly queue: MailQueueAdmin,
  ) {}

  async execute(actor: HostUser | null): Promise<Result<number, Refusal>> {
    if (!this.permissions.allows(PERMISSION_IDS.portalManage, actor)) return err(refuse(ErrorCodes.PERMISSION_DENIED));
    return ok(await this.queue.retryAllFailed());
  }
}
