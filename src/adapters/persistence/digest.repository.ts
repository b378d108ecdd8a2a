import type { Knex } from 'knex';
import { inject, injectable } from 'inversify';
import type { KnowledgeRef } from '../../domain/shared/knowledge.js';
import type { LocalDay } from '../../domain/notifications/digest.js';
import type { ClaimedDigest, DigestEntry, NewDigestEntry, PendingDigestEntry } from '../../domain/notifications/digest-entry.js';
import type { DigestStore } from '../../domain/ports/digest-store.port.js';
import type { Tx } from '../../domain/ports/unit-of-work.port.js';
import { TYPES } from '../../types.js';
import { idString, on } from '../shared/knex-helpers.js';

interface EntryRow {
  id: string | number;
  item_type: string;
  item_id: string;
  item_title: string;
  user_id: string;
  email: string;
  first_name: string;
  last_name: string;
  new_user: boolean;
  token_id: string | number | null;
  token_nickname: string | null;
  at: string | Date;
}

const ENTRIES = 'selfreg_digest_entries';
const DIGESTS = 'selfreg_digests';

@injectable()
export class KnexDigestStore implements DigestStore {
  constructor(@inject(TYPES.Database) private readonly knex: Knex) {}

  async add(entry: NewDigestEntry, tx: Tx): Promise<void> {
    await on(this.knex, tx)(ENTRIES).insert({
      item_type: entry.item.type,
      item_id: entry.item.id,
      item_title: entry.itemTitle.slice(0, 500),
      user_id: entry.user.id,
      email: entry.user.email,
      first_name: entry.user.firstName.slice(0, 200),
      last_name: entry.user.lastName.slice(0, 200),
      new_user: entry.newUser,
      token_id: entry.tokenId,
      token_nickname: entry.tokenNickname,
      at: entry.at,
    });
  }

  async pending(before: Date, limit: number): Promise<PendingDigestEntry[]> {
    const rows: { item_type: string; item_id: string; at: string | Date }[] = await this.knex(ENTRIES)
      .whereNull('digest_id')
      .andWhere('at', '<', before)
      .orderBy('at')
      .limit(limit)
      .select('item_type', 'item_id', 'at');
    return rows.map((r) => ({ item: { type: r.item_type as KnowledgeRef['type'], id: r.item_id }, at: new Date(r.at) }));
  }

  async claim(input: { item: KnowledgeRef; day: LocalDay; from: Date; to: Date; now: Date }, tx: Tx): Promise<ClaimedDigest | null> {
    const db = on(this.knex, tx);
    const key = { item_type: input.item.type, item_id: input.item.id, day: input.day };
    // The next part for this item and day. Two instances computing the same part collide on the
    // unique index: the second waits for the first to commit, then inserts nothing.
    const inserted: { id: string | number; part: number }[] = (
      await db.raw(
        `insert into ${DIGESTS} (item_type, item_id, day, part, created_at)
         select ?, ?, ?, coalesce(max(part), 0) + 1, ? from ${DIGESTS} where item_type = ? and item_id = ? and day = ?
         on conflict (item_type, item_id, day, part) do nothing
         returning id, part`,
        [key.item_type, key.item_id, key.day, input.now, key.item_type, key.item_id, key.day],
      )
    ).rows;
    const digest = inserted[0];
    if (!digest) return null;
    const rows: EntryRow[] = await db(ENTRIES)
      .where({ item_type: key.item_type, item_id: key.item_id })
      .whereNull('digest_id')
      .andWhere('at', '>=', input.from)
      .andWhere('at', '<', input.to)
      .update({ digest_id: digest.id })
      .returning(['id', 'item_type', 'item_id', 'item_title', 'user_id', 'email', 'first_name', 'last_name', 'new_user', 'token_id', 'token_nickname', 'at']);
    if (rows.length === 0) {
      await db(DIGESTS).where({ id: digest.id }).delete().returning('id');
      return null;
    }
    await db(DIGESTS).where({ id: digest.id }).update({ entries: rows.length });
    const entries = rows.map(toEntry).sort((a, b) => a.at.getTime() - b.at.getTime() || Number(a.id) - Number(b.id));
    return { digestId: idString(digest.id), part: Number(digest.part), entries };
  }

  async recordSent(digestId: string, recipients: number, tx: Tx): Promise<void> {
    await on(this.knex, tx)(DIGESTS).where({ id: digestId }).update({ recipients });
  }

  /** Personal data is kept no longer than needed: entries of digests sent before `before` go. */
  async purgeSent(before: Date): Promise<number> {
    const old = this.knex(DIGESTS).where('created_at', '<', before).select('id');
    const rows = await this.knex(ENTRIES).whereIn('digest_id', old).delete().returning('id');
    return rows.length;
  }
}

function toEntry(r: EntryRow): DigestEntry {
  return {
    id: idString(r.id),
    item: { type: r.item_type as KnowledgeRef['type'], id: r.item_id },
    itemTitle: r.item_title,
    user: { id: r.user_id, email: r.email, firstName: r.first_name, lastName: r.last_name },
    newUser: r.new_user,
    tokenId: r.token_id == null ? null : idString(r.token_id),
    tokenNickname: r.token_nickname,
    at: new Date(r.at),
  };
}
