import type { Channel } from '../../domain/audit/audit.js';
import { ErrorCodes, refuse, type Refusal } from '../../domain/shared/errors.js';
import { err, type Result } from '../../domain/shared/result.js';
import type { HostUser } from '../../domain/shared/user.js';
import { SECRET_OVERLAP_MS, validateEndpoint, type WebhookEndpointInput, type WebhookNetwork } from '../../domain/webhooks/webhook-endpoint.js';
import type { WebhookEndpoint } from '../../domain/webhooks/webhook-endpoint-view.js';
import type { WebhookSecretsPort } from '../../domain/ports/webhook-secrets.port.js';
import type { WebhookAdmin } from './webhook-admin.js';

type Changed = Result<{ endpoint: WebhookEndpoint }, Refusal>;

/** Adds an endpoint with a fresh signing secret: `secret` is the only time it is shown. */
export class CreateWebhookEndpointUseCase {
  constructor(private readonly admin: WebhookAdmin, private readonly secrets: WebhookSecretsPort, private readonly network: WebhookNetwork) {}

  async execute(actor: HostUser | null, input: WebhookEndpointInput, channel?: Channel): Promise<Result<{ endpoint: WebhookEndpoint; secret: string }, Refusal>> {
    if (!this.admin.allowed(actor)) return denied();
    const valid = validateEndpoint(input, this.network);
    if (!valid.ok) return valid;
    const secret = this.secrets.generate();
    return this.admin.change(actor, 'webhook.created', async (tx) => ({
      endpoint: await this.admin.p.endpoints.create({ ...valid.value, secret, createdBy: actor.id }, tx),
      secret,
    }), channel);
  }
}

/** Changes an endpoint's address, description and events (its secret stays). */
export class UpdateWebhookEndpointUseCase {
  constructor(private readonly admin: WebhookAdmin, private readonly network: WebhookNetwork) {}

  async execute(actor: HostUser | null, id: string, input: WebhookEndpointInput, channel?: Channel): Promise<Changed> {
    if (!this.admin.allowed(actor)) return denied();
    const valid = validateEndpoint(input, this.network);
    if (!valid.ok) return valid;
    return this.admin.change(actor, 'webhook.changed', async (tx) => wrap(await this.admin.p.endpoints.update(id, valid.value, tx)), channel);
  }
}

/** Disables an endpoint (its deliveries wait) or enables it again (they go). */
export class SetWebhookEndpointEnabledUseCase {
  constructor(private readonly admin: WebhookAdmin) {}

  execute(actor: HostUser | null, id: string, enabled: boolean, channel?: Channel): Promise<Changed> {
    return this.admin.change(actor, enabled ? 'webhook.enabled' : 'webhook.disabled', async (tx) =>
      wrap(await this.admin.p.endpoints.setStatus(id, enabled ? 'active' : 'disabled', enabled ? null : 'Disabled by an admin', tx)), channel);
  }
}

/** Deletes an endpoint and its delivery log. */
export class DeleteWebhookEndpointUseCase {
  constructor(private readonly admin: WebhookAdmin) {}

  execute(actor: HostUser | null, id: string, channel?: Channel): Promise<Changed> {
    return this.admin.change(actor, 'webhook.deleted', async (tx) => wrap(await this.admin.p.endpoints.delete(id, tx)), channel);
  }
}

/** A new signing secret (shown once); the old one keeps signing beside it for SECRET_OVERLAP_MS. */
export class RotateWebhookSecretUseCase {
  constructor(private readonly admin: WebhookAdmin, private readonly secrets: WebhookSecretsPort) {}

  execute(actor: HostUser | null, id: string, channel?: Channel): Promise<Result<{ endpoint: WebhookEndpoint; secret: string }, Refusal>> {
    const secret = this.secrets.generate();
    return this.admin.change(actor, 'webhook.secret_rotated', async (tx, at) => {
      const endpoint = await this.admin.p.endpoints.rotate(id, secret, new Date(at.getTime() + SECRET_OVERLAP_MS), tx);
      return endpoint ? { endpoint, secret } : null;
    }, channel);
  }
}

const wrap = (endpoint: WebhookEndpoint | null) => (endpoint ? { endpoint } : null);

const denied = () => err(refuse(ErrorCodes.PERMISSION_DENIED));
