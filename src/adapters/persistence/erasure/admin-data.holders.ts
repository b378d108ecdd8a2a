/*
 * What the plugin holds about a person who managed tokens: the creator and last editor of tokens,
 * batches and imports, the actor of audit entries, the owner (or revoker) of API keys, the last
 * editor of notification settings, their address among an item's notification recipients, and a
 * half-typed form that mentions their address.
 */
import type { Knex } from 'knex';
import { inject, injectable } from 'inversify';
import { ERASED_ID, ERASED_NAME, type ErasureSubject, type KnownIdentity } from '../../../domain/privacy/erasure.js';
import type { PersonalDataHolder } from '../../../domain/ports/personal-data.port.js';
import type { Tx } from '../../../domain/ports/unit-of-work.port.js';
import { TYPES } from '../../../types.js';
import { on } from '../../shared/knex-helpers.js';
import { changed, placeholders } from '../../shared/sql-lists.js';

/**
 * Tokens, batches, imports and the audit log keep what happened (a token was created, renamed,
 * deleted…), attributed to "Erased user" instead of the person: the record of changes stays whole,
 * without naming them.
 */
@injectable()
export class TokenAuthorshipHolder implements PersonalDataHolder {
  readonly id = 'token authorship';
  readonly tables = ['selfreg_tokens', 'selfreg_token_batches', 'selfreg_token_imports', 'selfreg_audit_log'];

  constructor(@inject(TYPES.Database) private readonly knex: Knex) {}

  async identify(userId: string, tx: Tx): Promise<KnownIdentity> {
    const db = on(this.knex, tx);
    const rows = await db.raw(`
      select actor_name as name from selfreg_audit_log where actor_id = ?
      union select created_by_name from selfreg_tokens where created_by = ?
      union select created_by_name from selfreg_token_batches where created_by = ?
      union select created_by_name from selfreg_token_imports where created_by = ?
      union select applied_by_name from selfreg_token_imports where applied_by = ?`, [userId, userId, userId, userId, userId]);
    return { emails: [], names: (rows.rows as { name: string | null }[]).map((r) => r.name ?? '') };
  }

  async erase(subject: ErasureSubject, tx: Tx): Promise<number> {
    const db = on(this.knex, tx);
    const id = subject.userId;
    let n = 0;
    n += await changed(db, 'update selfreg_tokens set created_by = null, created_by_name = ? where created_by = ? returning id', [ERASED_NAME, id]);
    n += await changed(db, 'update selfreg_tokens set updated_by = null where updated_by = ? returning id', [id]);
    n += await changed(db, 'update selfreg_token_batches set created_by = null, created_by_name = ? where created_by = ? returning id', [ERASED_NAME, id]);
    n += await changed(db, 'update selfreg_token_imports set created_by = ?, created_by_name = ? where created_by = ? returning id', [ERASED_ID, ERASED_NAME, id]);
    n += await changed(db, 'update selfreg_token_imports set applied_by = null, applied_by_name = ? where applied_by = ? returning id', [ERASED_NAME, id]);
    n += await changed(db, 'update selfreg_audit_log set actor_id = null, actor_name = ? where actor_id = ? returning id', [ERASED_NAME, id]);
    return n;
  }
}

/**
 * API keys act as the person who created them: theirs are revoked (no key may act for someone the
 * host no longer has, or whose data is erased) and kept, unattributed, so the list still says a key
 * existed and when it was last used.
 */
@injectable()
export class ApiKeysHolder implements PersonalDataHolder {
  readonly id = 'API keys';
  readonly tables = ['selfreg_api_keys'];

  constructor(@inject(TYPES.Database) private readonly knex: Knex) {}

  async identify(userId: string, tx: Tx): Promise<KnownIdentity> {
    const rows: { a: string | null; b: string | null }[] = await on(this.knex, tx)('selfreg_api_keys')
      .where({ created_by: userId }).orWhere({ revoked_by: userId }).select({ a: 'created_by_name', b: 'revoked_by_name' });
    return { emails: [], names: rows.flatMap((r) => [r.a ?? '', r.b ?? '']) };
  }

  async erase(subject: ErasureSubject, tx: Tx): Promise<number> {
    const db = on(this.knex, tx);
    const id = subject.userId;
    const owned = await changed(db, `update selfreg_api_keys set created_by = ?, created_by_name = ?, revoked_at = coalesce(revoked_at, ?),
      revoked_by = case when revoked_at is null then null else revoked_by end,
      revoked_by_name = case when revoked_at is null then ? else revoked_by_name end
      where created_by = ? returning id`, [ERASED_ID, ERASED_NAME, new Date(), ERASED_NAME, id]);
    const revoked = await changed(db, 'update selfreg_api_keys set revoked_by = null, revoked_by_name = ? where revoked_by = ? returning id', [ERASED_NAME, id]);
    return owned + revoked;
  }
}

/**
 * Notification settings: the person is no longer their last editor, and their address (when the
 * plugin's records tie one to them) leaves every item's recipients. Form drafts (what an admin typed
 * into a refused panel form, kept 30 minutes) that mention one of their addresses are deleted.
 */
@injectable()
export class NotificationRecipientsHolder implements PersonalDataHolder {
  readonly id = 'notification settings';
  readonly tables = ['selfreg_notification_settings', 'selfreg_form_drafts'];

  constructor(@inject(TYPES.Database) private readonly knex: Knex) {}

  async erase(subject: ErasureSubject, tx: Tx): Promise<number> {
    const db = on(this.knex, tx);
    let n = await changed(db, 'update selfreg_notification_settings set updated_by = null where updated_by = ? returning item_id', [subject.userId]);
    if (subject.emails.length === 0) return n;
    const list = placeholders(subject.emails);
    n += await changed(db, `
      update selfreg_notification_settings set stakeholders = coalesce((
        select jsonb_agg(s) from jsonb_array_elements_text(stakeholders) s where lower(s) not in ${list}
      ), '[]'::jsonb)
      where exists (select 1 from jsonb_array_elements_text(stakeholders) s where lower(s) in ${list})
      returning item_id`, [...subject.emails, ...subject.emails]);
    const mentions = subject.emails.map(() => 'position(? in lower(payload::text)) > 0').join(' or ');
    n += await changed(db, `delete from selfreg_form_drafts where ${mentions} returning id`, subject.emails);
    return n;
  }
}
