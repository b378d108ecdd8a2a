import type { Request, Response, Router } from 'express';
import { inject, injectable } from 'inversify';
import { z } from 'zod';
import { TYPES } from '../../../types.js';
import { ErrorCodes } from '../../../domain/shared/errors.js';
import type { WebhookDelivery, WebhookEndpoint } from '../../../domain/webhooks/webhook-endpoint-view.js';
import type { ApiCaller } from '../../../application/api-keys/api-caller.js';
import type { WebhookUseCases } from '../../../application/webhooks/webhook-use-cases.js';
import type { Routes } from '../../../manifest/routes.js';
import type { RouteContribution } from '../shared/route-contribution.js';
import { ApiError, unwrap } from './api-errors.js';
import { handle, ID_RE, parse } from './api-request.js';

const endpointBody = z.strictObject({
  url: z.string().max(2000),
  description: z.string().max(200).nullable().optional(),
  events: z.array(z.string().max(64)).min(1).max(20),
});

const endpointJson = (e: WebhookEndpoint) => ({
  id: e.id,
  url: e.url,
  description: e.description,
  events: e.events,
  status: e.status,
  disabledReason: e.disabledReason,
  disabledAt: e.disabledAt?.toISOString() ?? null,
  previousSecretValidUntil: e.previousSecretUntil && e.previousSecretUntil.getTime() > Date.now() ? e.previousSecretUntil.toISOString() : null,
  consecutiveFailures: e.consecutiveFailures,
  createdAt: e.createdAt.toISOString(),
});

const deliveryJson = (d: WebhookDelivery) => ({
  id: d.id,
  webhookId: d.messageId,
  event: d.eventType,
  status: d.status,
  test: d.test,
  attempts: d.attempts,
  lastStatusCode: d.lastStatusCode,
  lastDurationMs: d.lastDurationMs,
  lastError: d.lastError,
  lastAttemptAt: d.lastAttemptAt?.toISOString() ?? null,
  nextAttemptAt: d.nextAttemptAt?.toISOString() ?? null,
  createdAt: d.createdAt.toISOString(),
  body: d.body,
});

const idOf = (req: Request, name = 'id', code: string = ErrorCodes.WEBHOOK_NOT_FOUND): string => {
  const id = String(req.params[name]);
  if (!ID_RE.test(id)) throw new ApiError(code);
  return id;
};

/**
 * Webhook endpoints over the JSON API (Super admins' keys: `webhooks.manage`), as in the Webhooks
 * panel: list (with each endpoint's latest deliveries), create (the secret in this answer only),
 * replace, enable, disable, delete, rotate the secret, send a test, replay a delivery.
 */
@injectable()
export class WebhooksResource implements RouteContribution {
  readonly route = 'api';

  constructor(
    @inject(TYPES.WebhookUseCases) private readonly uc: WebhookUseCases,
    @inject(TYPES.Routes) private readonly routes: Routes,
  ) {}

  contribute(router: Router): void {
    router.get('/webhooks', handle((_req, res, c) => this.list(res, c)));
    router.post('/webhooks', handle((req, res, c) => this.create(req, res, c)));
    router.put('/webhooks/:id', handle(async (req, res, c) => {
      res.json(endpointJson(unwrap(await this.uc.update.execute(c.user, idOf(req), parse(endpointBody, req.body, 'body'), c.channel)).endpoint));
    }));
    for (const [verb, enabled] of [['enable', true], ['disable', false]] as const) {
      router.post(`/webhooks/:id/${verb}`, handle(async (req, res, c) => {
        res.json(endpointJson(unwrap(await this.uc.setEnabled.execute(c.user, idOf(req), enabled, c.channel)).endpoint));
      }));
    }
    router.delete('/webhooks/:id', handle(async (req, res, c) => {
      unwrap(await this.uc.remove.execute(c.user, idOf(req), c.channel));
      res.status(204).end();
    }));
    router.post('/webhooks/:id/rotate', handle(async (req, res, c) => {
      const done = unwrap(await this.uc.rotate.execute(c.user, idOf(req), c.channel));
      res.json({ endpoint: endpointJson(done.endpoint), secret: done.secret });
    }));
    router.post('/webhooks/:id/test', handle(async (req, res, c) => {
      unwrap(await this.uc.sendTest.execute(c.user, idOf(req)));
      res.status(202).json({ queued: true });
    }));
    router.post('/webhooks/:id/deliveries/:delivery/replay', handle(async (req, res, c) => {
      unwrap(await this.uc.replay.execute(c.user, idOf(req), idOf(req, 'delivery', ErrorCodes.WEBHOOK_DELIVERY_NOT_FOUND)));
      res.status(202).json({ queued: true });
    }));
  }

  private async list(res: Response, c: ApiCaller): Promise<void> {
    const all = unwrap(await this.uc.list.execute(c.user));
    res.json({ data: all.map(({ endpoint, deliveries }) => ({ ...endpointJson(endpoint), deliveries: deliveries.map(deliveryJson) })) });
  }

  private async create(req: Request, res: Response, c: ApiCaller): Promise<void> {
    const done = unwrap(await this.uc.create.execute(c.user, parse(endpointBody, req.body, 'body'), c.channel));
    res.status(201).location(`${this.routes.mount('api')}/webhooks/${done.endpoint.id}`).json({ endpoint: endpointJson(done.endpoint), secret: done.secret });
  }
}
