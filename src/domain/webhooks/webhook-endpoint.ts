import { ErrorCodes, refuse, refuseWith, type Refusal } from '../shared/errors.js';
import { err, ok, type Result } from '../shared/result.js';
import { isWebhookEvent, type WebhookEventType } from './webhook-events.js';
import { isInternalAddress, isLiteralAddress } from '../shared/internal-address.js';

/**
 * Which addresses an endpoint may have: `public` (production) only https:// to names that resolve to
 * public addresses; `loopback` (development) also http:// and https:// to this machine's own loopback.
 */
export type WebhookNetwork = 'public' | 'loopback';

export interface WebhookEndpointInput {
  readonly url: unknown;
  readonly description?: unknown;
  readonly events: unknown;
}

export interface ValidEndpoint {
  readonly url: string;
  readonly description: string | null;
  readonly events: readonly WebhookEventType[];
}

export const WEBHOOK_URL_MAX = 2000;
export const WEBHOOK_DESCRIPTION_MAX = 200;
/** How long a rotated-out secret still signs deliveries beside the new one. */
export const SECRET_OVERLAP_MS = 24 * 60 * 60 * 1000;
/** An endpoint disabled after this many failed deliveries in a row, whatever their tries left. */
export const MAX_CONSECUTIVE_FAILED_DELIVERIES = 5;

const LOOPBACK_NAMES = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

/** True for a literal loopback host of a URL (`localhost`, 127.0.0.0/8, ::1). */
export const isLoopbackHost = (hostname: string): boolean => LOOPBACK_NAMES.has(hostname.toLowerCase()) || /^127\.\d+\.\d+\.\d+$/.test(hostname);

/** The refusals of an endpoint form, by field. */
export function validateEndpoint(input: WebhookEndpointInput, network: WebhookNetwork): Result<ValidEndpoint, Refusal> {
  const raw = typeof input.url === 'string' ? input.url.trim() : '';
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return err(refuse(ErrorCodes.WEBHOOK_URL_INVALID));
  }
  if (raw.length > WEBHOOK_URL_MAX || url.username || url.password || url.hash) return err(refuse(ErrorCodes.WEBHOOK_URL_INVALID));
  const loopback = isLoopbackHost(url.hostname);
  if (url.protocol === 'http:' ? !(network === 'loopback' && loopback) : url.protocol !== 'https:') return err(refuse(ErrorCodes.WEBHOOK_URL_NOT_HTTPS));
  if (loopback && network !== 'loopback') return err(refuse(ErrorCodes.WEBHOOK_URL_INTERNAL));
  // A literal private or link-local address is refused here already; names are checked when resolved.
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (!loopback && isLiteralAddress(url.hostname) && isInternalAddress(host)) return err(refuse(ErrorCodes.WEBHOOK_URL_INTERNAL));
  const description = typeof input.description === 'string' ? input.description.trim().replace(/[\u0000-\u001f\u007f]/g, '') : '';
  if (description.length > WEBHOOK_DESCRIPTION_MAX) return err(refuseWith(ErrorCodes.WEBHOOK_DESCRIPTION_TOO_LONG, { max: WEBHOOK_DESCRIPTION_MAX }));
  const list = (Array.isArray(input.events) ? input.events : [input.events]).filter((e) => e !== undefined && e !== '');
  const events = [...new Set(list)].filter(isWebhookEvent);
  if (events.length === 0 || events.length !== new Set(list).size) return err(refuse(ErrorCodes.WEBHOOK_EVENTS_REQUIRED));
  return ok({ url: url.toString(), description: description || null, events });
}
