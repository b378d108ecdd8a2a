import type { KnowledgeRef } from '../../domain/shared/knowledge.js';
import type { HostUser } from '../../domain/shared/user.js';
import { displayName } from '../../domain/audit/audit.js';
import type { Token } from '../../domain/tokens/token.js';
import { registrationMessage, tokenMessage } from '../../domain/webhooks/webhook-events.js';
import type { CataloguePort } from '../../domain/ports/catalogue.port.js';
import type { ClockPort } from '../../domain/ports/clock.port.js';
import type { Tx } from '../../domain/ports/unit-of-work.port.js';
import type { WebhookEvents } from '../../domain/ports/webhook-events.port.js';

/**
 * The webhook events raised after a registration (its `registration.created` is written with the
 * registration itself, by the registration stores): activation, completion, a token switched off or
 * on. Each first asks whether any endpoint subscribes, so with none nothing more is read or written;
 * activation and completion carry an event key, so each goes once per endpoint however often the host
 * repeats it.
 */
export class WebhookNotices {
  constructor(private readonly events: WebhookEvents, private readonly catalogue: CataloguePort, private readonly clock: ClockPort) {}

  /** A new person set their password (in the transaction that activated their registration). */
  async activated(userId: string, tx: Tx): Promise<void> {
    if (!(await this.events.subscribed('registration.activated', tx))) return;
    for (const r of await this.events.registrations(userId, null, tx)) {
      if (!r.record.newUser || !r.activatedAt) continue;
      const itemTitle = (await this.catalogue.get(r.record.item, tx))?.title ?? null;
      await this.events.raise(registrationMessage('registration.activated', { ...r, itemTitle }, this.clock.now()), { userId, eventKey: `registration.activated:${r.id}` }, tx);
    }
  }

  /** A registrant completed the item they registered for (the host's learning.completed). */
  async completed(userId: string, item: KnowledgeRef): Promise<void> {
    if (!(await this.events.subscribed('enrolment.completed'))) return;
    for (const r of await this.events.registrations(userId, item)) {
      if (!r.completion) continue;
      const itemTitle = (await this.catalogue.get(r.record.item))?.title ?? null;
      await this.events.raise(registrationMessage('enrolment.completed', { ...r, itemTitle }, this.clock.now()), { userId, eventKey: `enrolment.completed:${r.id}` });
    }
  }

  /** An admin (or an API key) switched a token off or on, in that change's transaction; the delivery carries their id (erasure finds it by that). */
  async tokenSwitched(token: Token, enabled: boolean, actor: HostUser | null, itemTitle: string | null, tx: Tx): Promise<void> {
    const type = enabled ? 'token.enabled' : 'token.disabled';
    if (!(await this.events.subscribed(type, tx))) return;
    const title = itemTitle ?? (await this.catalogue.get(token.item, tx))?.title ?? null;
    const by = actor ? { id: actor.id, name: displayName(actor) } : null;
    await this.events.raise(tokenMessage(type, { id: token.id, nickname: token.nickname, item: token.item, itemTitle: title, actor: by }, this.clock.now()), { userId: by?.id ?? null }, tx);
  }
}
