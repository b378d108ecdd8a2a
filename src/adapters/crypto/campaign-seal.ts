import { createHmac, timingSafeEqual } from 'node:crypto';
import { inject, injectable } from 'inversify';
import type { PluginOptions } from '../../contract/index.js';
import { attributionFrom, type Attribution } from '../../domain/reports/attribution.js';
import { TYPES } from '../../types.js';
import { deriveKey } from './crypto.adapters.js';

/** A sealed campaign is honoured for this long after the deep link was opened. */
const MAX_AGE_MS = 7 * 24 * 60 * 60 * 1000;

const codeKey = (code: string): string => code.toUpperCase().replace(/[\s-]+/g, '');

/**
 * The campaign a deep link was opened with, carried to the registration in the form itself: the
 * checked utm values, when, and an HMAC over them and the token code, in one hidden field. No cookie
 * and no write per view; a refused form posts it back unchanged, so the first touch is kept; a forged
 * or altered value, one for another code, or one older than a week is simply ignored.
 */
@injectable()
export class CampaignSeal {
  private readonly key: Buffer;

  constructor(@inject(TYPES.Options) options: PluginOptions) {
    this.key = deriveKey(options.secret, 'campaign-seal');
  }

  private mac(body: string, code: string): string {
    return createHmac('sha256', this.key).update(`${body}|${codeKey(code)}`, 'utf8').digest('base64url');
  }

  seal(attribution: Attribution, code: string, now: Date = new Date()): string {
    const body = Buffer.from(JSON.stringify({ a: attribution, t: now.getTime() }), 'utf8').toString('base64url');
    return `${body}.${this.mac(body, code)}`;
  }

  open(sealed: unknown, code: string, now: Date = new Date()): Attribution | null {
    if (typeof sealed !== 'string' || sealed.length > 2000) return null;
    const [body, mac] = sealed.split('.');
    if (!body || !mac) return null;
    const expected = Buffer.from(this.mac(body, code));
    const given = Buffer.from(mac);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return null;
    try {
      const { a, t } = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as { a?: unknown; t?: unknown };
      if (typeof t !== 'number' || now.getTime() - t > MAX_AGE_MS || !a || typeof a !== 'object') return null;
      // Checked again on the way in: only the whitelisted keys, as the rules keep them.
      return attributionFrom(a as Record<string, unknown>);
    } catch {
      return null;
    }
  }
}
