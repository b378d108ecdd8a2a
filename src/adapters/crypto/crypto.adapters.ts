import { createCipheriv, createDecipheriv, createHash, createHmac, hkdfSync, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';
import { inject, injectable } from 'inversify';
import type { RandomSource } from '../../domain/ports/random.port.js';
import type { SecretHasher } from '../../domain/ports/secret-hasher.port.js';
import type { PluginOptions } from '../../contract/index.js';
import { TYPES } from '../../types.js';

export const randomSource: RandomSource = {
  int: (maxExclusive) => randomInt(maxExclusive),
  secret: (bytes) => randomBytes(bytes).toString('base64url'),
};

export const sha256Hasher: SecretHasher = {
  hash: (secret) => createHash('sha256').update(secret, 'utf8').digest('hex'),
};

/** Separate keys per purpose, all derived from the one configured secret. */
export function deriveKey(secret: string, purpose: string): Buffer {
  return Buffer.from(hkdfSync('sha256', secret, 'selfreg', purpose, 32));
}

/** AES-256-GCM under one derived key: `v1.<iv>.<tag>.<body>` (base64 parts). */
export class AesGcmBox {
  constructor(private readonly key: Buffer) {}

  encrypt(plain: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return ['v1', iv.toString('base64'), cipher.getAuthTag().toString('base64'), body.toString('base64')].join('.');
  }

  decrypt(ciphertext: string): string {
    const [version, iv, tag, body] = ciphertext.split('.');
    if (version !== 'v1' || !iv || !tag || body === undefined) throw new Error('Unrecognised ciphertext');
    const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(iv, 'base64'));
    decipher.setAuthTag(Buffer.from(tag, 'base64'));
    return Buffer.concat([decipher.update(Buffer.from(body, 'base64')), decipher.final()]).toString('utf8');
  }
}

/**
 * Keeps token codes out of a database dump (security.md item 7): lookups go through an HMAC of the
 * normalised code; admins see the display code decrypted from AES-256-GCM.
 */
@injectable()
export class CodeProtector {
  private readonly digestKey: Buffer;
  private readonly box: AesGcmBox;

  constructor(@inject(TYPES.Options) options: PluginOptions) {
    this.digestKey = deriveKey(options.secret, 'token-digest');
    this.box = new AesGcmBox(deriveKey(options.secret, 'token-encryption'));
  }

  digest(normalisedCode: string): string {
    return createHmac('sha256', this.digestKey).update(normalisedCode, 'utf8').digest('hex');
  }

  encrypt(displayCode: string): string {
    return this.box.encrypt(displayCode);
  }

  decrypt(ciphertext: string): string {
    return this.box.decrypt(ciphertext);
  }
}

/** Webhook signing secrets at rest: AES-256-GCM under a key of their own, so a dump alone signs nothing. */
@injectable()
export class WebhookSecretBox extends AesGcmBox {
  constructor(@inject(TYPES.Options) options: PluginOptions) {
    super(deriveKey(options.secret, 'webhook-secret'));
  }
}

/** `whsec_` and the base64 of 32 random bytes, as Standard Webhooks libraries expect. */
export const webhookSecrets = { generate: (): string => `whsec_${randomBytes(32).toString('base64')}` };

/**
 * CSRF tokens for admin forms: an HMAC of the host's session key, so a token is valid only in the
 * session it was rendered for and changes when sign-in regenerates the session.
 */
@injectable()
export class CsrfTokens {
  private readonly key: Buffer;

  constructor(@inject(TYPES.Options) options: PluginOptions) {
    this.key = deriveKey(options.secret, 'csrf');
  }

  issue(sessionKey: string | null): string {
    return sessionKey ? createHmac('sha256', this.key).update(sessionKey, 'utf8').digest('base64url') : '';
  }

  verify(sessionKey: string | null, token: unknown): boolean {
    if (!sessionKey || typeof token !== 'string' || token.length === 0) return false;
    const expected = Buffer.from(this.issue(sessionKey));
    const given = Buffer.from(token);
    return expected.length === given.length && timingSafeEqual(expected, given);
  }
}
