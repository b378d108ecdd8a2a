import type { Knex } from 'knex';
import { inject, injectable } from 'inversify';
import type { EnrolmentRule } from '../../../domain/rules/enrolment-rule.js';
import type { KnowledgeRef } from '../../../domain/shared/knowledge.js';
import type { SqlSelect } from '../../../domain/ports/enrolments.port.js';
import type { IdRange, RuleTargets } from '../../../domain/ports/rule-backfill.port.js';
import type { Tx } from '../../../domain/ports/unit-of-work.port.js';
import { TYPES } from '../../../types.js';
import { on } from '../../shared/knex-helpers.js';

interface Sql { readonly sql: string; readonly bindings: unknown[] }

/** The email's domain, lower case (the part after the last @), as the domain's `domainOf` reads it. */
const DOMAIN = `lower(substring(u.email from '@([^@]*)$'))`;

/**
 * The rule's conditions over `u` (the host's users select), as SQL that mirrors `matches()` in
 * src/domain/rules/rule-matching.ts: user types are the host select's own; email domain in / not
 * in a list (a subdomain counting as its domain); how the person came and the campaign on the same
 * registration of selfreg_registrations.
 */
export function conditionSql(rule: EnrolmentRule): Sql {
  const parts: string[] = [];
  const bindings: unknown[] = [];
  const c = rule.conditions;
  if (c.emailDomains) {
    // Domains are letters, digits, dots and hyphens only (checkRule), so none holds a LIKE wildcard.
    const any = c.emailDomains.domains.map(() => `${DOMAIN} = ? or ${DOMAIN} like ?`).join(' or ');
    for (const d of c.emailDomains.domains) bindings.push(d, `%.${d}`);
    parts.push(c.emailDomains.mode === 'in' ? `(${any})` : `not coalesce(${any}, false)`);
  }
  if (!(c.arrival.kind === 'any' && !c.campaigns)) {
    const r: string[] = ['r.user_id = u.id'];
    if (c.arrival.kind === 'token') {
      r.push('r.token_id = ?::bigint');
      bindings.push(c.arrival.tokenId);
    } else if (c.arrival.kind === 'item_tokens') {
      r.push('r.item_type = ? and r.item_id = ?');
      bindings.push(c.arrival.item.type, c.arrival.item.id);
    }
    if (c.campaigns) {
      r.push(`r.utm_campaign in (${c.campaigns.map(() => '?').join(', ')})`);
      bindings.push(...c.campaigns);
    }
    parts.push(`exists (select 1 from selfreg_registrations r where ${r.join(' and ')})`);
  }
  return { sql: parts.length ? parts.join(' and ') : 'true', bindings };
}

function rangeSql(range: IdRange): Sql {
  const parts: string[] = [];
  const bindings: unknown[] = [];
  if (range.after !== null) {
    parts.push('u.id collate "C" > ?');
    bindings.push(range.after);
  }
  if (range.upTo !== null) {
    parts.push('u.id collate "C" <= ?');
    bindings.push(range.upTo);
  }
  return { sql: parts.length ? parts.join(' and ') : 'true', bindings };
}

/** Applying a rule as a few set-based statements over the host's users and the plugin's tables. */
@injectable()
export class KnexRuleTargets implements RuleTargets {
  constructor(@inject(TYPES.Database) private readonly knex: Knex) {}

  select(rule: EnrolmentRule, users: SqlSelect, item: KnowledgeRef, range: IdRange): SqlSelect {
    const cond = conditionSql(rule);
    const within = rangeSql(range);
    return {
      sql: `select u.id::text as user_id, ?::text as item_type, ?::text as item_id from (${users.sql}) u
        where ${cond.sql} and ${within.sql}
          and not exists (select 1 from selfreg_rule_suppressions s where s.user_id = u.id::text and s.item_type = ? and s.item_id = ?)`,
      bindings: [item.type, item.id, ...users.bindings, ...cond.bindings, ...within.bindings, item.type, item.id],
    };
  }

  async chunkBounds(rule: EnrolmentRule, users: SqlSelect, size: number, tx?: Tx): Promise<string[]> {
    const cond = conditionSql(rule);
    const result = (await on(this.knex, tx).raw(
      `select id from (select u.id::text as id, row_number() over (order by u.id::text collate "C") as n from (${users.sql}) u where ${cond.sql}) x
        where n % ? = 0 order by n`,
      [...users.bindings, ...cond.bindings, size] as Knex.RawBinding[],
    )) as { rows: { id: string }[] };
    return result.rows.map((r) => r.id);
  }

  async matched(rule: EnrolmentRule, users: SqlSelect, sample: number, tx?: Tx): Promise<{ count: number; sample: string[] }> {
    const cond = conditionSql(rule);
    const from = `from (${users.sql}) u where ${cond.sql}`;
    const bindings = [...users.bindings, ...cond.bindings] as Knex.RawBinding[];
    const [count, ids] = await Promise.all([
      on(this.knex, tx).raw(`select count(*)::int as n ${from}`, bindings) as Promise<{ rows: { n: number }[] }>,
      on(this.knex, tx).raw(`select u.id::text as id ${from} order by u.id::text collate "C" limit ?`, [...bindings, sample]) as Promise<{ rows: { id: string }[] }>,
    ]);
    return { count: Number(count.rows[0]?.n ?? 0), sample: ids.rows.map((r) => r.id) };
  }

  rows(rows: readonly { userId: string; item: KnowledgeRef }[]): SqlSelect {
    if (rows.length === 0) return { sql: 'select null::text as user_id, null::text as item_type, null::text as item_id where false', bindings: [] };
    return {
      sql: `select * from (values ${rows.map(() => '(?::text, ?::text, ?::text)').join(', ')}) v(user_id, item_type, item_id)`,
      bindings: rows.flatMap((r) => [r.userId, r.item.type, r.item.id]),
    };
  }
}
