import { auditActor, PANEL, type Channel } from '../../domain/audit/audit.js';
import { webhookEntry, type WebhookAuditAction } from '../../domain/audit/settings-entries.js';
import { ErrorCodes, refuse, type Refusal } from '../../domain/shared/errors.js';
import { err, ok, type Result } from '../../domain/shared/result.js';
import type { HostUser } from '../../domain/shared/user.js';
import type { WebhookEndpoint } from '../../domain/webhooks/webhook-endpoint-view.js';
import type { AuditRepository } from '../../domain/ports/audit-repository.port.js';
import type { ClockPort } from '../../domain/ports/clock.port.js';
import { PERMISSION_IDS, type PermissionsPort } from '../../domain/ports/permissions.port.js';
import type { Tx, UnitOfWork } from '../../domain/ports/unit-of-work.port.js';
import type { WebhookEndpointRepository } from '../../domain/ports/webhook-endpoints.port.js';

export interface WebhookAdminPorts {
  readonly permissions: PermissionsPort;
  readonly uow: UnitOfWork;
  readonly endpoints: WebhookEndpointRepository;
  readonly audit: AuditRepository;
  readonly clock: ClockPort;
}

/**
 * What every change to an endpoint shares: Super admins only (`webhooks.manage`), the change and
 * its audit entry in one transaction, an endpoint that is gone answered as WEBHOOK.NOT_FOUND.
 */
export class WebhookAdmin {
  constructor(readonly p: WebhookAdminPorts) {}

  allowed(actor: HostUser | null): actor is HostUser {
    return this.p.permissions.allows(PERMISSION_IDS.webhooksManage, actor);
  }

  /** Runs `change` for an allowed actor and audits the endpoint it returns under `action`. */
  async change<T extends { readonly endpoint: WebhookEndpoint }>(
    actor: HostUser | null, action: WebhookAuditAction, change: (tx: Tx, at: Date) => Promise<T | null>, channel: Channel = PANEL,
  ): Promise<Result<T, Refusal>> {
    if (!this.allowed(actor)) return err(refuse(ErrorCodes.PERMISSION_DENIED));
    const at = this.p.clock.now();
    const done = await this.p.uow.run(async (tx) => {
      const result = await change(tx, at);
      if (result) await this.p.audit.append([webhookEntry(action, result.endpoint, auditActor(actor, channel), at)], tx);
      return result;
    });
    return done ? ok(done) : err(refuse(ErrorCodes.WEBHOOK_NOT_FOUND));
  }
}
