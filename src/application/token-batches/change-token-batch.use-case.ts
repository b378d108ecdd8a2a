import { auditActor, batchEntry, PANEL, type Channel } from '../../domain/audit/audit.js';
import { ErrorCodes, refuse, type Refusal } from '../../domain/shared/errors.js';
import { err, ok, type Result } from '../../domain/shared/result.js';
import type { HostUser } from '../../domain/shared/user.js';
import type { AuditRepository } from '../../domain/ports/audit-repository.port.js';
import type { ClockPort } from '../../domain/ports/clock.port.js';
import type { TokenBatchRepository } from '../../domain/ports/token-bulk-repository.port.js';
import type { UnitOfWork } from '../../domain/ports/unit-of-work.port.js';
import { PERMISSION_IDS, type PermissionsPort } from '../../domain/ports/permissions.port.js';
import { denied } from '../tokens/token-refusals.js';

export type BatchChange = 'disable' | 'enable' | 'delete';

/**
 * Acts on a whole batch at once: deactivates or reactivates every code of it, or deletes the batch
 * with its codes (which never work again). One audit entry for the batch.
 */
export class ChangeTokenBatchUseCase {
  constructor(
    private readonly permissions: PermissionsPort,
    private readonly uow: UnitOfWork,
    private readonly batches: TokenBatchRepository,
    private readonly audit: AuditRepository,
    private readonly clock: ClockPort,
  ) {}

  async execute(actor: HostUser | null, id: string, change: BatchChange, channel: Channel = PANEL): Promise<Result<{ count: number }, Refusal>> {
    if (!this.permissions.allows(PERMISSION_IDS.tokensManage, actor)) return denied();
    const now = this.clock.now();
    const who = auditActor(actor!, channel);
    return this.uow.run(async (tx) => {
      const batch = await this.batches.find(id, tx);
      if (!batch) return err(refuse(ErrorCodes.BATCH_NOT_FOUND));
      const count = change === 'delete' ? await this.batches.delete(id, tx) : await this.batches.setEnabled(id, change === 'enable', actor!.id, now, tx);
      const action = change === 'delete' ? 'batch.deleted' : change === 'enable' ? 'batch.enabled' : 'batch.disabled';
      await this.audit.append([batchEntry(action, batch, count, who, now)], tx);
      return ok({ count });
    });
  }
}
