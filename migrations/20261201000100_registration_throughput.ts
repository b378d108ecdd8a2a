import type { Knex } from 'knex';

/*
 * Registration throughput: no registration writes the token row unless the token is capped.
 *
 * - The foreign keys from registrations, emailed links and digest entries to `selfreg_tokens` are
 *   dropped. Each insert referencing a token took `FOR KEY SHARE` on its row, so every registration
 *   on one token queued on that one row. Their `ON DELETE SET NULL` is now done by the token
 *   repository's deletes, in the deleting statement, after waiting (an exclusive advisory lock) for
 *   registrations in flight on that token, which hold the same lock shared: no reference to a deleted
 *   token can be written (see selfreg_claim_use below).
 * - Uses of an uncapped token are counted in `selfreg_token_uses`, a few rows per token (one per
 *   shard; a backend always writes the shard of its pid), not in the token row. A token's uses are
 *   `selfreg_tokens.uses` (uses claimed while capped) plus the sum of its shards.
 * - `selfreg_claim_use(token, now)` claims one use: under the token's advisory lock, shared, it reads
 *   the token afresh (a function's statements each take a new snapshot) and either counts the use in
 *   a shard (uncapped) or claims it with one conditional UPDATE of the token row (capped). Admin
 *   changes and deletes take the lock exclusively, so a cap, a disable or a delete waits for the
 *   registrations already past the check and applies to every later one.
 * - `selfreg_require_use(token, now)` is the same claim for a registration written as one statement
 *   without a transaction around it: a lost claim raises SQLSTATE SR001, so nothing it wrote stays.
 * - `(token_id, id)` serves a token's registrations newest first, however old they are.
 */
const TOKEN_LOCK_CLASS = 1936024434;
const USE_SHARDS = 16;

export async function up(knex: Knex): Promise<void> {
  for (const table of ['selfreg_registrations', 'selfreg_email_links', 'selfreg_digest_entries']) {
    await knex.raw(`alter table ${table} drop constraint if exists ${table}_token_id_foreign`);
  }
  await knex.raw('create index if not exists selfreg_registrations_token_id_id_idx on selfreg_registrations (token_id, id)');
  await knex.raw('drop index if exists selfreg_registrations_token_id_index');
  // Deleting a token clears its references: these find them without a scan.
  await knex.raw('create index if not exists selfreg_email_links_token_idx on selfreg_email_links (token_id) where token_id is not null');
  await knex.raw('create index if not exists selfreg_digest_entries_token_idx on selfreg_digest_entries (token_id) where token_id is not null');

  await knex.schema.createTable('selfreg_token_uses', (t) => {
    t.bigInteger('token_id').notNullable();
    t.smallint('shard').notNullable();
    t.integer('uses').notNullable().defaultTo(0);
    t.timestamp('last_used_at', { useTz: true }).nullable();
    t.primary(['token_id', 'shard']);
  });

  await knex.raw(`
    create or replace function selfreg_claim_use(p_token bigint, p_now timestamptz) returns boolean
    language plpgsql volatile as $$
    declare
      t record;
      k record;
    begin
      -- One lock per item (a token never changes item): shared by claims, exclusive for admin changes
      -- and deletes, which then take one lock however many tokens they touch.
      select item_type, item_id into k from selfreg_tokens where id = p_token;
      if not found then
        return false;
      end if;
      perform pg_advisory_xact_lock_shared(${TOKEN_LOCK_CLASS}, hashtext(k.item_type || ':' || k.item_id));
      select enabled, expires_at, max_uses into t from selfreg_tokens where id = p_token;
      if not found or not t.enabled or (t.expires_at is not null and t.expires_at <= p_now) then
        return false;
      end if;
      if t.max_uses is null then
        insert into selfreg_token_uses as u (token_id, shard, uses, last_used_at)
        values (p_token, pg_backend_pid() % ${USE_SHARDS}, 1, p_now)
        on conflict (token_id, shard) do update
          set uses = u.uses + 1, last_used_at = greatest(u.last_used_at, excluded.last_used_at);
        return true;
      end if;
      update selfreg_tokens set uses = uses + 1, last_used_at = p_now
       where id = p_token and enabled and (expires_at is null or expires_at > p_now) and max_uses is not null
         and uses + coalesce((select sum(s.uses) from selfreg_token_uses s where s.token_id = p_token), 0) < max_uses;
      return found;
    end $$`);
  await knex.raw(`
    create or replace function selfreg_require_use(p_token bigint, p_now timestamptz) returns boolean
    language plpgsql volatile as $$
    begin
      if not selfreg_claim_use(p_token, p_now) then
        raise exception 'the token''s use could not be claimed' using errcode = 'SR001';
      end if;
      return true;
    end $$`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop function if exists selfreg_require_use(bigint, timestamptz)');
  await knex.raw('drop function if exists selfreg_claim_use(bigint, timestamptz)');
  // Uses counted in shards go back into the token rows.
  await knex.raw(`update selfreg_tokens t set uses = t.uses + s.n, last_used_at = greatest(t.last_used_at, s.at)
    from (select token_id, sum(uses)::int as n, max(last_used_at) as at from selfreg_token_uses group by token_id) s where s.token_id = t.id`);
  await knex.schema.dropTableIfExists('selfreg_token_uses');
  await knex.raw('drop index if exists selfreg_digest_entries_token_idx');
  await knex.raw('drop index if exists selfreg_email_links_token_idx');
  await knex.raw('create index if not exists selfreg_registrations_token_id_index on selfreg_registrations (token_id)');
  await knex.raw('drop index if exists selfreg_registrations_token_id_id_idx');
  for (const table of ['selfreg_registrations', 'selfreg_email_links', 'selfreg_digest_entries']) {
    await knex.raw(`update ${table} x set token_id = null where token_id is not null and not exists (select 1 from selfreg_tokens t where t.id = x.token_id)`);
    await knex.raw(`alter table ${table} add constraint ${table}_token_id_foreign foreign key (token_id) references selfreg_tokens (id) on delete set null`);
  }
}
