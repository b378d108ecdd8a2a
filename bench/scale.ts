/*
 * The scale mode of the registration benchmark: a database seeded in bulk (generate_series) with
 * 10,000 tokens, 1,000,000 users, enrolments and registrations — 900,000 of them on one popular
 * token, the 100 oldest on a token of their own (the case where "newest first" used to filter the
 * whole table) — then VACUUM ANALYZE, as autovacuum would have left it. Also: the list pages'
 * timings at that scale and EXPLAIN ANALYZE of each of their statements.
 */
import type { Knex } from 'knex';
import { TYPES } from '../src/types.js';
import type { CodeProtector } from '../src/adapters/crypto/crypto.adapters.js';
import type { CreateApiKeyUseCase } from '../src/application/api-keys/create-api-key.use-case.js';
import type { TokenRepository } from '../src/domain/ports/token-repository.port.js';
import type { SelfRegistrationPlugin } from '../src/plugin.js';
import { TokenCode } from '../src/domain/tokens/token-code.js';
import { randomSource } from '../src/adapters/crypto/crypto.adapters.js';
import { stats } from './support.js';

export const SCALE = { tokens: 10_000, users: 1_000_000, popular: 900_000, old: 100 };

export interface ScaleWorld {
  readonly popular: { id: string; code: string };
  readonly old: { id: string };
  readonly item: { type: 'topic'; id: string };
  readonly seededInMs: number;
}

/** Seeds the scale data into a migrated, demo-seeded sandbox database whose plugin is loaded. */
export async function seedScale(knex: Knex, plugin: SelfRegistrationPlugin): Promise<ScaleWorld> {
  const started = performance.now();
  const itemRow = await knex('sandbox_items').where({ type: 'topic', origin: 'own' }).orderBy('id').first();
  const item = { type: 'topic' as const, id: String(itemRow.id) };
  const repo = plugin.container.get<TokenRepository>(TYPES.TokenRepository);
  const make = async (nickname: string) => {
    const code = TokenCode.generate(randomSource);
    const t = await repo.insert({ item, nickname, normalisedCode: code.normalised, displayCode: code.display, custom: false, expiresAt: null, maxUses: null, createdBy: null });
    return { id: t!.id, code: code.display };
  };
  const old = await make('Old campaign');
  const popular = await make('Popular');
  const ciphertext = plugin.container.get<CodeProtector>(TYPES.CodeProtector).encrypt('BULK-BULK-BULK');
  await knex.raw(`insert into selfreg_tokens (item_type, item_id, nickname, code_digest, code_ciphertext, created_at)
    select 'topic', ?, 'Bulk ' || g, md5('bulk' || g) || md5('code' || g), ?, now() - g * interval '1 minute'
    from generate_series(1, ?) g`, [item.id, ciphertext, SCALE.tokens - 2]);
  const firstBulk = Number((await knex('selfreg_tokens').where('nickname', 'like', 'Bulk %').min({ id: 'id' }).first())!.id);

  // Users in bulk: the seat counter's per-row trigger is left out and the counter set once.
  await knex.raw('alter table sandbox_users disable trigger sandbox_users_seat_count');
  await knex.raw(`insert into sandbox_users (email, first_name, last_name, type, status, created_at)
    select 'scale' || g || '@bench.test', 'Scale', 'Person', 'prospect', 'active', now() - interval '400 days' from generate_series(1, ?) g`, [SCALE.users]);
  await knex.raw('alter table sandbox_users enable trigger sandbox_users_seat_count');
  await knex.raw('update sandbox_seat_counter set used = (select count(*) from sandbox_users) where id = 1');
  const firstUser = Number((await knex('sandbox_users').where('email', 'like', 'scale%').min({ id: 'id' }).first())!.id);
  await knex.raw(`insert into sandbox_enrolments (user_id, item_type, item_id, source, created_at)
    select ? + g - 1, 'topic', ?, 'self-registration', now() - interval '400 days' from generate_series(1, ?) g`, [firstUser, item.id, SCALE.users]);
  await knex.raw(`insert into selfreg_registrations (token_id, token_nickname, item_type, item_id, user_id, new_user, created_at)
    select case when g <= ? then ?::bigint when g <= ? then ?::bigint else ?::bigint + (g % ?) end,
      'Bulk', 'topic', ?, (? + g - 1)::text, true, now() - interval '400 days' + g * interval '1 second'
    from generate_series(1, ?) g`,
  [SCALE.old, old.id, SCALE.old + SCALE.popular, popular.id, firstBulk, SCALE.tokens - 2, item.id, firstUser, SCALE.users]);
  await knex.raw(`update selfreg_tokens t set uses = c.n from (select token_id, count(*)::int as n from selfreg_registrations group by token_id) c where c.token_id = t.id`);
  for (const table of ['sandbox_users', 'sandbox_enrolments', 'selfreg_registrations', 'selfreg_tokens', 'selfreg_token_uses', 'sandbox_seat_counter']) await knex.raw(`vacuum analyze ${table}`);
  return { popular, old, item, seededInMs: Math.round(performance.now() - started) };
}

/** A signed-in Super admin's cookie and an API key of theirs, for the list pages. */
export async function adminAccess(base: string, plugin: SelfRegistrationPlugin, knex: Knex, email: string, password: string): Promise<{ cookie: string; apiKey: string }> {
  const res = await fetch(`${base}/login`, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ email, password }) });
  const cookie = res.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  const row = await knex('sandbox_users').where({ email }).first();
  const admin = { id: String(row.id), email, firstName: row.first_name, lastName: row.last_name, type: row.type, role: row.role, status: row.status };
  const made = await plugin.container.get<CreateApiKeyUseCase>(TYPES.CreateApiKeyUseCase).execute(admin, 'Bench');
  if (!made.ok) throw new Error('Could not create an API key');
  return { cookie, apiKey: made.value.key };
}

/** Median and range of `n` sequential GETs of `url`, in ms (each must answer 200). */
export async function timeGets(url: string, headers: Record<string, string>, n = 21): Promise<ReturnType<typeof stats>> {
  const times: number[] = [];
  for (let i = 0; i < n + 2; i++) {
    const t0 = performance.now();
    const res = await fetch(url, { headers, redirect: 'manual' });
    await res.arrayBuffer();
    if (res.status !== 200) throw new Error(`GET ${url} answered ${res.status}`);
    if (i >= 2) times.push(performance.now() - t0);
  }
  return stats(times);
}

/**
 * EXPLAIN (ANALYZE, BUFFERS) of every statement `request` sends that reads the plugin's or the
 * host's tables, with the bindings it sent. Returns the plans as text.
 */
export async function explainStatements(knex: Knex, request: () => Promise<void>): Promise<{ sql: string; plan: string }[]> {
  const seen: { sql: string; bindings: unknown[] }[] = [];
  const listen = (q: { sql: string; bindings?: unknown[] }) => void seen.push({ sql: q.sql, bindings: q.bindings ?? [] });
  knex.on('query', listen);
  try {
    await request();
  } finally {
    knex.removeListener('query', listen);
  }
  const out: { sql: string; plan: string }[] = [];
  const client = knex.client as { acquireConnection(): Promise<{ query(text: string, values: unknown[]): Promise<{ rows: Record<string, string>[] }> }>; releaseConnection(c: unknown): Promise<void> };
  const conn = await client.acquireConnection();
  try {
    for (const q of seen) {
      if (!/^\s*select/i.test(q.sql) || !/(selfreg_|sandbox_items|sandbox_users)/.test(q.sql) || /sandbox_sessions|pg_stat/.test(q.sql)) continue;
      const result = await conn.query(`explain (analyze, buffers) ${q.sql}`, q.bindings);
      out.push({ sql: q.sql, plan: result.rows.map((r) => r['QUERY PLAN']).join('\n') });
    }
  } finally {
    await client.releaseConnection(conn);
  }
  return out;
}
