import { SYSTEM_ACTOR } from '../../domain/audit/audit.js';
import { webhookEntry } from '../../domain/audit/settings-entries.js';
import type { AuditRepository } from '../../domain/ports/audit-repository.port.js';
import type { ClockPort } from '../../domain/ports/clock.port.js';
import type { OutboxPort } from '../../domain/ports/outbox.port.js';
import type { PortalPort } from '../../domain/ports/portal.port.js';
import type { UnitOfWork } from '../../domain/ports/unit-of-work.port.js';
import type { UsersPort } from '../../domain/ports/users.port.js';
import type { WebhookEndpointRepository } from '../../domain/ports/webhook-endpoints.port.js';
import { superAdminRecipients } from '../shared/super-admin-recipients.js';

export interface DisableFailingEndpointPorts {
  readonly uow: UnitOfWork;
  readonly endpoints: WebhookEndpointRepository;
  readonly audit: AuditRepository;
  readonly outbox: OutboxPort;
  readonly users: UsersPort;
  readonly portal: PortalPort;
  readonly clock: ClockPort;
}

/**
 * An endpoint that answered 410 Gone, or whose delivery failed every try of its window, stops
 * receiving: disabled (its deliveries wait, nothing is dropped), audited as the system's doing, and
 * every Super admin emailed — in one transaction, once (an endpoint already disabled is left alone).
 */
export class DisableFailingEndpointUseCase {
  constructor(private readonly p: DisableFailingEndpointPorts) {}

  async execute(endpointId: string, reason: string): Promise<boolean> {
    const portal = await this.p.portal.info();
    const recipients = await superAdminRecipients(this.p.users, portal.primaryAdminEmail);
    const at = this.p.clock.now();
    return this.p.uow.run(async (tx) => {
      const current = await this.p.endpoints.get(endpointId, tx);
      if (!current || current.status !== 'active') return false;
      const endpoint = await this.p.endpoints.setStatus(endpointId, 'disabled', reason, tx);
      if (!endpoint) return false;
      await this.p.audit.append([webhookEntry('webhook.disabled', endpoint, SYSTEM_ACTOR, at, reason)], tx);
      for (const to of recipients) {
        await this.p.outbox.enqueue({ to, template: 'webhook-disabled', data: { url: endpoint.url, description: endpoint.description, reason, at: at.toISOString() } }, tx);
      }
      return true;
    });
  }
}
