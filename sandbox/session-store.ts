/*
 * express-session store over knex (`sandbox_sessions`). Expired rows are ignored on read and
 * pruned periodically; the prune timer never keeps the process alive and stops on `close()`.
 */
import session from 'express-session';
import type { SessionData } from 'express-session';
import type { Knex } from 'knex';

const TABLE = 'sandbox_sessions';

export interface KnexSessionStoreOptions {
  /** Lifetime of a session without a cookie expiry, in ms (default 24 h). */
  ttlMs?: number;
  /** How often expired rows are deleted, in ms (default 15 min; 0 disables pruning). */
  pruneIntervalMs?: number;
  /** Called when a background prune fails (default: ignored). */
  onError?: (error: unknown) => void;
}

export class KnexSessionStore extends session.Store {
  private readonly ttlMs: number;
  private readonly onError: (error: unknown) => void;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly knex: Knex, options: KnexSessionStoreOptions = {}) {
    super();
    this.ttlMs = options.ttlMs ?? 24 * 60 * 60 * 1000;
    this.onError = options.onError ?? (() => {});
    const interval = options.pruneIntervalMs ?? 15 * 60 * 1000;
    if (interval > 0) {
      this.timer = setInterval(() => {
        this.prune().catch(this.onError);
      }, interval);
      this.timer.unref();
    }
  }

  private expiry(sess: SessionData): Date {
    const expires = sess.cookie?.expires;
    if (expires) return new Date(expires);
    return new Date(Date.now() + this.ttlMs);
  }

  override get(sid: string, callback: (err: unknown, session?: SessionData | null) => void): void {
    this.knex(TABLE)
      .where({ sid })
      .andWhere('expires_at', '>', this.knex.fn.now())
      .first('sess')
      .then((row: { sess: SessionData | string } | undefined) => {
        if (!row) return callback(null, null);
        callback(null, typeof row.sess === 'string' ? (JSON.parse(row.sess) as SessionData) : row.sess);
      }, (error: unknown) => callback(error));
  }

  override set(sid: string, sess: SessionData, callback?: (err?: unknown) => void): void {
    this.knex(TABLE)
      .insert({ sid, sess: JSON.stringify(sess), expires_at: this.expiry(sess) })
      .onConflict('sid')
      .merge(['sess', 'expires_at'])
      .then(() => callback?.(), (error: unknown) => callback?.(error));
  }

  override destroy(sid: string, callback?: (err?: unknown) => void): void {
    this.knex(TABLE)
      .where({ sid })
      .delete()
      .then(() => callback?.(), (error: unknown) => callback?.(error));
  }

  override touch(sid: string, sess: SessionData, callback?: (err?: unknown) => void): void {
    this.knex(TABLE)
      .where({ sid })
      .update({ expires_at: this.expiry(sess) })
      .then(() => callback?.(), (error: unknown) => callback?.(error));
  }

  override clear(callback?: (err?: unknown) => void): void {
    this.knex(TABLE)
      .delete()
      .then(() => callback?.(), (error: unknown) => callback?.(error));
  }

  override length(callback: (err: unknown, length?: number) => void): void {
    this.knex(TABLE)
      .where('expires_at', '>', this.knex.fn.now())
      .count<{ n: number }[]>({ n: '*' })
      .then((rows) => callback(null, Number(rows[0]?.n ?? 0)), (error: unknown) => callback(error));
  }

  /** Deletes expired sessions; returns how many. */
  async prune(): Promise<number> {
    // `returning`: knex-pglite answers a bare delete with the raw result instead of a count.
    const rows = await this.knex(TABLE).where('expires_at', '<=', this.knex.fn.now()).delete().returning('sid');
    return rows.length;
  }

  /** Stops the prune timer. The knex instance belongs to the caller and stays open. */
  close(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }
}
