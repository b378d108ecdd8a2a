import type { Refusal } from '../../domain/shared/errors.js';
import { auditActor, deletedEntry, PANEL, type Channel } from '../../domain/audit/audit.js';
import { ok, type Result } from '../../domain/shared/result.js';
import type { Token } from '../../domain/tokens/token.js';
import type { HostUser } from '../../domain/shared/user.js';
import type { ClockPort } from '../../domain/ports/clock.port.js';
import type { AuditRepository } from '../../domain/ports/audit-repository.port.js';
import type { TokenAdminRepository } from '../../domain/ports/token-admin-repository.port.js';
import type { UnitOfWork } from '../../domain/ports/unit-of-work.port.js';
import { PERMISSION_IDS, type PermissionsPort } from '../../domain/ports/permissions.port.js';
import { denied, notFound } from './token-refusals.js';

/**
 * Deletes the token: its code (digest and ciphertext) is destroyed with the row and never works
 * again; registrations made with it remain with the nickname only; the audit log keeps its history.
 */
export class DeleteTokenUseCase {
  constructor(
    private readonly permissions: PermissionsPort,
    private readonly uow: UnitOfWork,
    private readonly tokens: TokenAdminRepository,
    private readonly audit: AuditRepository,
    private readonly clock: ClockPort,
  ) {}

  async execute(actor: HostUser | null, id: string, channel: Channel = PANEL): Promise<Result<Token, Refusal>> {
    if (!this.permissions.allows(PERMISSION_IDS.tokensManage, actor)) return denied();
    const now = this.clock.now();
    const actorEntry = auditActor(actor!, channel);
    return this.uow.run(async (tx) => {
      const current = await this.tokens.lockById(id, tx);
      if (!current || !(await this.tokens.deleteById(id, tx))) return notFound();
      await this.audit.append([deletedEntry(current, actorEntry, now)], tx);
      return ok(current);
    });
  }
}
