import type { Knex } from 'knex';
import { inject, injectable } from 'inversify';
import type { ErasureSubject } from '../../domain/privacy/erasure.js';
import type { PersonalDataHolder } from '../../domain/ports/personal-data.port.js';
import type { Tx } from '../../domain/ports/unit-of-work.port.js';
import { TYPES } from '../../types.js';
import { on } from '../shared/knex-helpers.js';
import { changed, placeholders } from '../shared/sql-lists.js';

/** Shown as the recipient of sent mail whose recipient was erased (the row stays for the delivery counts). */
export const ERASED_RECIPIENT = '(erased)';

/**
 * Mail to or about the person that has not left yet (queued, being sent, failed) is cancelled: mail
 * to them (invitation, sign-in link) and an admin notification about them are deleted; a daily
 * digest about several people loses their line (and is deleted when none is left). Sent mail keeps
 * no message data already; its recipient is replaced, so the delivery counts stay.
 */
@injectable()
export class OutboxHolder implements PersonalDataHolder {
  readonly id = 'mail';
  readonly tables = ['selfreg_outbox'];

  constructor(@inject(TYPES.Database) private readonly knex: Knex) {}

  async erase(subject: ErasureSubject, tx: Tx): Promise<number> {
    const emails = subject.emails;
    if (emails.length === 0) return 0;
    const db = on(this.knex, tx);
    const L = placeholders(emails);
    let n = await changed(db, `delete from selfreg_outbox where status <> 'sent'
      and (lower(recipient) in ${L} or (template = 'admin-notification' and lower(data->'registrant'->>'email') in ${L})) returning id`, [...emails, ...emails]);
    const pruned: { id: unknown; left: number }[] = (await db.raw(`update selfreg_outbox set data = jsonb_set(data, '{entries}', coalesce((
        select jsonb_agg(e) from jsonb_array_elements(data->'entries') e where lower(e->>'email') not in ${L}
      ), '[]'::jsonb))
      where status <> 'sent' and template = 'admin-digest'
        and exists (select 1 from jsonb_array_elements(data->'entries') e where lower(e->>'email') in ${L})
      returning id, jsonb_array_length(data->'entries') as "left"`, [...emails, ...emails])).rows;
    n += pruned.length;
    const empty = pruned.filter((r) => Number(r.left) === 0).map((r) => r.id);
    if (empty.length > 0) await changed(db, `delete from selfreg_outbox where id in ${placeholders(empty)} returning id`, empty);
    n += await changed(db, `update selfreg_outbox set recipient = ?, last_error = null where status = 'sent' and lower(recipient) in ${L} returning id`, [ERASED_RECIPIENT, ...emails]);
    return n;
  }
}
