/*
 * Enrolment rules benchmark. In one run, against fresh PostgreSQL databases:
 *   - backfill: a rule for 100,000 existing prospects into 2 items, applied by the plugin (its
 *     set-based chunks through the host's enrolSelected), against a raw INSERT … SELECT of the same
 *     enrolment rows on the same database; the rows are deleted and the table vacuumed before each
 *     run (autovacuum is off), and the ratio is raw time ÷ backfill time (speed), per pair;
 *   - registration: new-user registrations with 20 switched-on rules (2 of which match the
 *     registrants, enrolling them in 3 further items in the registration's one statement; the other
 *     18 name other tokens, domains, campaigns or user types) against none, on the same host; and
 *     the same with the 2 matching rules off (18 rules, none matching: what evaluating them costs).
 * Ratios come from pairs measured back to back in alternating order (≥ 5): median and min–max.
 */
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { TYPES } from '../src/types.js';
import { checkRule, type EnrolmentRule, type RuleInput } from '../src/domain/rules/enrolment-rule.js';
import type { EnrolmentRuleRepository } from '../src/domain/ports/enrolment-rule-repository.port.js';
import type { RuleBackfill } from '../src/application/rules/rule-backfill.js';
import type { RulesCache } from '../src/application/rules/rules-cache.js';
import { benchToken, startBenchSandbox, type BenchSandbox } from './bench-host.js';
import { CpuMeter, LoadGenerator, medians, pairs, range, round, stats, type Bench, type BenchContext, type Measured } from './support.js';

const PAIRS = Number(process.env.BENCH_PAIRS ?? 5);
/**
 * The registration pairs are short (1,000 registrations a side) and the two sides cost nearly the
 * same CPU per request, so a spike of this shared machine moves a ratio more than the rules do:
 * more pairs, for a steadier median.
 */
const REGISTRATION_PAIRS = Number(process.env.BENCH_RULE_PAIRS ?? Math.max(PAIRS, 9));
const PROSPECTS = Number(process.env.BENCH_RULE_PROSPECTS ?? 100_000);
const REGISTRATIONS = Number(process.env.BENCH_REGISTRATIONS ?? 1000);
const TARGETS = { backfillVsRaw: 0.5, withRules: 0.9 };
const POST = { method: 'POST' as const, headers: { 'content-type': 'application/x-www-form-urlencoded' } };

type Ref = { type: 'topic'; id: string };

interface Host extends BenchSandbox {
  readonly url: string;
  readonly server: Server;
  readonly items: Ref[];
  readonly code: string;
  readonly tokenId: string;
}

async function startHost(): Promise<Host> {
  const started = await startBenchSandbox();
  const { knex, sandbox } = started;
  const rows = await knex('sandbox_items').insert(Array.from({ length: 8 }, (_, i) => ({ type: 'topic', origin: 'own', title: `Bench rule topic ${i}` }))).returning('id');
  const items = rows.map((r: { id: number }) => ({ type: 'topic' as const, id: String(r.id) }));
  const token = await benchToken(started.plugin, items[0]!);
  const server = await new Promise<Server>((resolve) => {
    const s = sandbox.app.listen(0, '127.0.0.1', () => resolve(s));
  });
  return { ...started, server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, items, ...token };
}

async function stopHost(host: Host): Promise<void> {
  await new Promise<void>((resolve) => {
    host.server.close(() => resolve());
    host.server.closeAllConnections();
  });
  await host.sandbox.close();
  await host.db.destroy();
}

async function makeRule(host: Host, input: RuleInput): Promise<EnrolmentRule> {
  const checked = checkRule(input);
  if (!checked.ok) throw new Error(`bench rule refused: ${checked.error.code}`);
  return host.plugin.container.get<EnrolmentRuleRepository>(TYPES.EnrolmentRuleRepository).create(checked.value, null, new Date());
}

const timed = async (work: () => Promise<unknown>): Promise<number> => {
  const started = performance.now();
  await work();
  return performance.now() - started;
};

/** 100,000 prospects into 2 items: the plugin's backfill against a raw INSERT … SELECT of the same rows. */
async function backfill(host: Host, ctx: BenchContext) {
  const { knex } = host;
  // A bulk load, as bench/scale.ts does it: the seat counter's per-row trigger off, one recount after.
  await knex.raw('alter table sandbox_users disable trigger sandbox_users_seat_count');
  await knex.raw(`insert into sandbox_users (email, first_name, last_name, type, status)
    select 'backfill' || n || '@crowd.test', 'Back', 'Fill ' || n, 'prospect', 'active' from generate_series(1, ?) n`, [PROSPECTS]);
  await knex.raw('alter table sandbox_users enable trigger sandbox_users_seat_count');
  await knex.raw('update sandbox_seat_counter set used = (select count(*) from sandbox_users) where id = 1');
  await knex.raw('vacuum analyze sandbox_users');
  const [a, b] = host.items.slice(4);
  const rule = await makeRule(host, { name: 'Backfill bench', enrolIn: [a, b] });
  const engine = host.plugin.container.get<RuleBackfill>(TYPES.RuleBackfill);
  const prospects = Number((await knex('sandbox_users').where({ type: 'prospect' }).count({ n: '*' }))[0]!.n);
  const expected = prospects * 2;
  const clean = async () => {
    await knex('sandbox_enrolments').whereIn('item_id', [a!.id, b!.id]).delete();
    await knex.raw('vacuum analyze sandbox_enrolments');
  };
  const count = async () => Number((await knex('sandbox_enrolments').whereIn('item_id', [a!.id, b!.id]).count({ n: '*' }))[0]!.n);
  const raw = async () => {
    await clean();
    const ms = await timed(() => knex.raw(`insert into sandbox_enrolments (user_id, item_type, item_id, source, source_kind, source_ref, created_at)
      select u.id, i.item_type, i.item_id, 'rule', 'rule', ?, now() from sandbox_users u cross join (values ('topic', ?), ('topic', ?)) i(item_type, item_id)
      where u.type = 'prospect' on conflict (user_id, item_type, item_id) do nothing`, [rule.id, a!.id, b!.id]));
    if ((await count()) !== expected) throw new Error('raw insert made the wrong number of rows');
    return ms;
  };
  const plugin = async () => {
    await clean();
    const ms = await timed(() => engine.apply(rule, async () => {}));
    if ((await count()) !== expected) throw new Error('backfill made the wrong number of rows');
    return ms;
  };
  await raw();
  await plugin();
  const rawMs: number[] = [];
  const pluginMs: number[] = [];
  for (let i = 0; i < PAIRS; i++) {
    if (i % 2 === 0) {
      rawMs.push(await raw());
      pluginMs.push(await plugin());
    } else {
      pluginMs.push(await plugin());
      rawMs.push(await raw());
    }
  }
  const ratio = stats(rawMs.map((r, i) => r / pluginMs[i]!));
  ctx.log(`backfill of ${prospects.toLocaleString('en')} prospects into 2 items: plugin ${range(stats(pluginMs), 0)} ms, raw INSERT … SELECT ${range(stats(rawMs), 0)} ms`);
  ctx.log(`backfill speed ÷ raw INSERT … SELECT  ${range(ratio)}   (target ≥ ${TARGETS.backfillVsRaw}) ${ratio.median >= TARGETS.backfillVsRaw ? 'met' : 'MISSED'}`);
  await clean();
  // The registration pairs measure their own 20 rules: this one goes.
  await host.plugin.container.get<EnrolmentRuleRepository>(TYPES.EnrolmentRuleRepository).delete(rule.id);
  host.plugin.container.get<RulesCache>(TYPES.RulesCache).invalidate();
  return { ratio, pluginMs: stats(pluginMs).median, rawMs: stats(rawMs).median, prospects };
}

/** 20 switched-on rules, 2 of them matching new registrants (3 further items), the rest not. */
async function twentyRules(host: Host): Promise<EnrolmentRule[]> {
  const [, i1, i2, i3, i4] = host.items;
  const made: EnrolmentRule[] = [];
  made.push(await makeRule(host, { name: 'All prospects', enrolIn: [i1, i2] }));
  made.push(await makeRule(host, { name: 'Bench domain', emailDomains: { mode: 'in', domains: ['bench.test'] }, arrival: { kind: 'token', tokenId: host.tokenId }, enrolIn: [i2, i3] }));
  for (let n = 0; n < 18; n++) {
    const kind = n % 4;
    const input: RuleInput = kind === 0 ? { name: `Campaign ${n}`, campaigns: [`campaign-${n}`], enrolIn: [i4] }
      : kind === 1 ? { name: `Domain ${n}`, emailDomains: { mode: 'in', domains: [`partner${n}.test`] }, enrolIn: [i4] }
      : kind === 2 ? { name: `Token ${n}`, arrival: { kind: 'token', tokenId: String(900_000 + n) }, enrolIn: [i4] }
      : { name: `Clients ${n}`, userTypes: ['client', 'staff'], enrolIn: [i4] };
    made.push(await makeRule(host, input));
  }
  return made;
}

export const rulesBench: Bench = {
  name: 'enrolment rules: backfill vs raw INSERT … SELECT, registrations with 20 rules vs none',
  async run(ctx: BenchContext) {
    const load = await LoadGenerator.start();
    const host = await startHost();
    let runs = 0;
    try {
      const filled = await backfill(host, ctx);
      const { knex } = host;
      const meter = new CpuMeter(knex, [(await knex.raw('select current_database() as n')).rows[0].n as string]);
      const cache = host.plugin.container.get<RulesCache>(TYPES.RulesCache);
      const rules = await twentyRules(host);
      const setRules = async (on: boolean) => {
        await knex('selfreg_enrolment_rules').whereIn('id', rules.map((r) => r.id)).update({ enabled: on });
        cache.invalidate();
      };
      const register = (on: boolean) => async (): Promise<Measured> => {
        await setRules(on);
        return meter.measure(() => load.run({ url: `${host.url}/register`, ...POST, connections: 10, amount: REGISTRATIONS, form: { emailPrefix: `${on ? 'w' : 'n'}${runs++}-`, token: host.code } }));
      };
      const vacuum = async () => void (await knex.raw('vacuum selfreg_tokens, selfreg_token_uses, sandbox_seat_counter, sandbox_portal, sandbox_enrolments'));
      await register(false)();
      await register(true)();
      const reg = await pairs(REGISTRATION_PAIRS, register(false), register(true), vacuum);
      // The same 20 rules with the 2 matching ones switched off: what evaluating rules costs a registration that they give nothing.
      const matching = rules.slice(0, 2).map((r) => r.id);
      const registerIdle = async (): Promise<Measured> => {
        await knex('selfreg_enrolment_rules').whereIn('id', rules.map((r) => r.id)).update({ enabled: true });
        await knex('selfreg_enrolment_rules').whereIn('id', matching).update({ enabled: false });
        cache.invalidate();
        return meter.measure(() => load.run({ url: `${host.url}/register`, ...POST, connections: 10, amount: REGISTRATIONS, form: { emailPrefix: `x${runs++}-`, token: host.code } }));
      };
      const idle = await pairs(REGISTRATION_PAIRS, register(false), registerIdle, vacuum);
      // Every registrant of a run with rules is in the token's item and the 3 further items; without, in the token's item only.
      const withRules = await knex.raw(`select count(*)::int as n from sandbox_enrolments e join sandbox_users u on u.id = e.user_id where u.email like 'w%@bench.test'`);
      const withRulesUsers = Number((await knex('sandbox_users').where('email', 'like', 'w%@bench.test').count({ n: '*' }))[0]!.n);
      const consistent = withRules.rows[0].n === withRulesUsers * 4;
      const none = medians(reg.baseline);
      const some = medians(reg.subject);
      ctx.log(`registration, no rules      ${none.rps} req/s, p99 ${none.p99} ms, CPU/req server ${none.serverCpuMs} ms, PostgreSQL ${none.pgCpuMs} ms`);
      ctx.log(`registration, 20 rules      ${some.rps} req/s, p99 ${some.p99} ms, CPU/req server ${some.serverCpuMs} ms, PostgreSQL ${some.pgCpuMs} ms`);
      ctx.log(`20 rules ÷ none (${REGISTRATION_PAIRS} pairs) ${range(reg.ratio)}   (target ≥ ${TARGETS.withRules}) ${reg.ratio.median >= TARGETS.withRules ? 'met' : 'MISSED'}`);
      ctx.log(`18 rules matching none ÷ none ${range(idle.ratio)}   (evaluation only: the registrants get no further item)`);
      ctx.log(`database check: ${withRulesUsers} registrants with rules hold ${withRules.rows[0].n} enrolments (4 each expected): ${consistent ? 'exact' : 'MISMATCH'}`);
      return {
        rules_backfill_vs_raw: filled.ratio.median, rules_backfill_vs_raw_min: filled.ratio.min, rules_backfill_vs_raw_max: filled.ratio.max,
        rules_backfill_ms: round(filled.pluginMs, 0), rules_backfill_raw_ms: round(filled.rawMs, 0), rules_backfill_prospects: filled.prospects,
        registration_with_rules_vs_none: reg.ratio.median, registration_with_rules_vs_none_min: reg.ratio.min, registration_with_rules_vs_none_max: reg.ratio.max,
        registration_with_rules_rps: some.rps, registration_without_rules_rps: none.rps,
        registration_with_idle_rules_vs_none: idle.ratio.median, registration_with_idle_rules_vs_none_min: idle.ratio.min, registration_with_idle_rules_vs_none_max: idle.ratio.max,
        rules_db_consistent: consistent, rules_errors: [...reg.baseline, ...reg.subject, ...idle.subject].reduce((t, m) => t + m.errors, 0) + (consistent ? 0 : 1),
      };
    } finally {
      load.close();
      await stopHost(host);
    }
  },
};
