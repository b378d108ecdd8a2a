import type { KnowledgeRef } from '../shared/knowledge.js';
import type { RegistrationRecord } from '../registration/registration-record.js';
import type { Attribution } from '../reports/attribution.js';

/** The events an endpoint may subscribe to; docs/webhooks.md shows each one's payload. */
export const WEBHOOK_EVENTS = [
  'registration.created',
  'registration.activated',
  'enrolment.completed',
  'token.disabled',
  'token.enabled',
] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENTS)[number];

/** The test send's event: never subscribed to, always accepted by an endpoint. */
export const TEST_EVENT = 'webhook.test';

export const isWebhookEvent = (value: unknown): value is WebhookEventType => (WEBHOOK_EVENTS as readonly string[]).includes(value as string);

/** What an admin reads beside each event's checkbox. */
export const WEBHOOK_EVENT_LABELS: Readonly<Record<WebhookEventType, string>> = {
  'registration.created': 'Registration created: someone registered with a token (a new or an existing account)',
  'registration.activated': 'Registration activated: a new person set their password',
  'enrolment.completed': 'Enrolment completed: a registrant completed the item (hosts with learning events)',
  'token.disabled': 'Token disabled: an admin deactivated a token',
  'token.enabled': 'Token enabled: an admin reactivated a token',
};

/** The body of a delivery (Standard Webhooks' recommended shape: type, timestamp, data). */
export interface WebhookMessage<T extends string = WebhookEventType | typeof TEST_EVENT> {
  readonly type: T;
  readonly timestamp: string;
  readonly data: Record<string, unknown>;
}

/** The registration part every registration and enrolment event carries: what a CRM files a lead under. */
export interface RegistrationFacts {
  readonly record: RegistrationRecord;
  readonly itemTitle: string | null;
  readonly activatedAt?: Date | null;
  readonly completion?: { readonly at: Date; readonly outcome: string | null; readonly score: number | null } | null;
}

const campaign = (a: Attribution | null | undefined): Record<string, string> | null => {
  if (!a) return null;
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(a)) if (value) out[key.replace(/^utm_/, '')] = value;
  return Object.keys(out).length > 0 ? out : null;
};

const item = (ref: KnowledgeRef, title: string | null) => ({ type: ref.type, id: ref.id, title });

/** The payload of a registration event (created, activated, completed), from the registration as recorded. */
export function registrationMessage<T extends 'registration.created' | 'registration.activated' | 'enrolment.completed'>(type: T, facts: RegistrationFacts, at: Date): WebhookMessage<T> {
  const { record } = facts;
  const person = record.registrant;
  return {
    type,
    timestamp: at.toISOString(),
    data: {
      person: {
        id: record.userId,
        email: person?.email ?? null,
        firstName: person?.firstName ?? null,
        lastName: person?.lastName ?? null,
        userType: person?.type ?? null,
      },
      item: item(record.item, facts.itemTitle),
      token: { id: record.tokenId, nickname: record.tokenNickname },
      registration: {
        registeredAt: record.at.toISOString(),
        newAccount: record.newUser,
        campaign: campaign(record.attribution),
        ...(type !== 'registration.created' && { activatedAt: facts.activatedAt ? facts.activatedAt.toISOString() : null }),
      },
      ...(type === 'enrolment.completed' && facts.completion && {
        completion: { completedAt: facts.completion.at.toISOString(), outcome: facts.completion.outcome, score: facts.completion.score },
      }),
    },
  };
}

/** A token an admin switched off or on. */
export interface TokenFacts {
  readonly id: string;
  readonly nickname: string | null;
  readonly item: KnowledgeRef;
  readonly itemTitle: string | null;
  readonly actor: { readonly id: string; readonly name: string } | null;
}

export function tokenMessage<T extends 'token.disabled' | 'token.enabled'>(type: T, token: TokenFacts, at: Date): WebhookMessage<T> {
  return {
    type,
    timestamp: at.toISOString(),
    data: { token: { id: token.id, nickname: token.nickname }, item: item(token.item, token.itemTitle), by: token.actor },
  };
}

export function testMessage(endpointId: string, at: Date): WebhookMessage<typeof TEST_EVENT> {
  return { type: TEST_EVENT, timestamp: at.toISOString(), data: { endpoint: { id: endpointId }, message: 'A test delivery sent from the Webhooks panel.' } };
}
