import { createHash, randomBytes } from 'node:crypto';
import type { Knex } from 'knex';
import { inject, injectable } from 'inversify';
import { TYPES } from '../../types.js';
import type { FormDraftStore } from '../../domain/ports/form-drafts.port.js';

const TABLE = 'selfreg_form_drafts';
/** Long enough to correct a form, short enough not to keep what was typed. */
export const DRAFT_TTL_MS = 30 * 60 * 1000;

const digest = (sessionKey: string): string => createHash('sha256').update(sessionKey, 'utf8').digest('hex');

/**
 * The one form-draft store (see FormDraftStore): drafts live in the database, so the page after the
 * redirect finds them whichever instance serves it. Only a digest of the session key is stored.
 */
@injectable()
export class KnexFormDrafts implements FormDraftStore {
  constructor(@inject(TYPES.Database) private readonly knex: Knex) {}

  /** Stores the draft; returns its id for the redirect (null without a session). */
  async save(sessionKey: string | null, form: string, payload: Record<string, unknown>, now: Date = new Date()): Promise<string | null> {
    if (!sessionKey) return null;
    const id = randomBytes(18).toString('base64url');
    await this.knex(TABLE).where('created_at', '<', new Date(now.getTime() - DRAFT_TTL_MS)).delete().returning('id');
    await this.knex(TABLE).insert({ id, session_digest: digest(sessionKey), form, payload: JSON.stringify(payload), created_at: now });
    return id;
  }

  async read(sessionKey: string | null, form: string, id: unknown, now: Date = new Date()): Promise<Record<string, unknown> | null> {
    if (!sessionKey || typeof id !== 'string' || !/^[A-Za-z0-9_-]{24}$/.test(id)) return null;
    const row: { payload: unknown } | undefined = await this.knex(TABLE)
      .where({ id, session_digest: digest(sessionKey), form })
      .andWhere('created_at', '>=', new Date(now.getTime() - DRAFT_TTL_MS))
      .first('payload');
    if (!row) return null;
    const payload = typeof row.payload === 'string' ? (JSON.parse(row.payload) as unknown) : row.payload;
    return payload && typeof payload === 'object' ? (payload as Record<string, unknown>) : null;
  }
}
