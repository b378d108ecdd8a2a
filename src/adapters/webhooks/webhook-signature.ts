import { createHmac } from 'node:crypto';

/**
 * Standard Webhooks signing: `v1,` and the base64 HMAC-SHA256 of `<webhook-id>.<webhook-timestamp>.<body>`
 * under the secret's key (the base64 after `whsec_`). Several secrets (during a rotation's overlap)
 * give several signatures, space-separated; a receiver accepts the message when any one matches.
 */
export function signatureHeader(secrets: readonly string[], messageId: string, timestampSeconds: number, body: string): string {
  const signed = `${messageId}.${timestampSeconds}.${body}`;
  return secrets.map((secret) => `v1,${createHmac('sha256', keyOf(secret)).update(signed, 'utf8').digest('base64')}`).join(' ');
}

const keys = new Map<string, Buffer>();

function keyOf(secret: string): Buffer {
  let key = keys.get(secret);
  if (!key) {
    key = Buffer.from(secret.startsWith('whsec_') ? secret.slice(6) : secret, 'base64');
    if (keys.size > 1000) keys.clear();
    keys.set(secret, key);
  }
  return key;
}

/** The headers of one try: the id stays across tries and replays, the timestamp is the try's own. */
export function deliveryHeaders(secrets: readonly string[], messageId: string, body: string, now: Date): Record<string, string> {
  const timestamp = Math.floor(now.getTime() / 1000);
  return {
    'content-type': 'application/json',
    'user-agent': 'self-registration-webhooks/1',
    'webhook-id': messageId,
    'webhook-timestamp': String(timestamp),
    'webhook-signature': signatureHeader(secrets, messageId, timestamp, body),
  };
}
