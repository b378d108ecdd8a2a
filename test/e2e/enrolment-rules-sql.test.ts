/*
 * The backfill's SQL (adapters/persistence/rules/rule-targets.store.ts) against the domain's
 * matches(): for every kind of condition and their combinations, the users the SQL selects over the
 * host's users and the plugin's registrations are exactly those the domain matches; and the
 * set-based dry run counts what the paging one (a host without selectByType) counts.
 */
import { expect } from 'chai';
import { RuleBackfill } from '../../src/application/rules/rule-backfill.js';
import { checkRule, type EnrolmentRule, type RuleInput } from '../../src/domain/rules/enrolment-rule.js';
import { matches, type Arrival } from '../../src/domain/rules/rule-matching.js';
import type { RulePeopleFacts } from '../../src/domain/ports/enrolment-rule-repository.port.js';
import type { RuleTargets } from '../../src/domain/ports/rule-backfill.port.js';
import type { UnitOfWork } from '../../src/domain/ports/unit-of-work.port.js';
import type { UsersPort } from '../../src/domain/ports/users.port.js';
import { TYPES } from '../../src/types.js';
import { pluginOf } from '../support/plugin-of.js';
import { rulesScene, type RulesScene } from './enrolment-rules.helpers.js';

const DOMAINS = ['example.com', 'mail.example.com', 'partner.test', 'notexample.com', 'EXAMPLE.org'];
const TYPES_OF = ['prospect', 'prospect', 'client', 'staff'] as const;

describe('e2e: the backfill\'s SQL matches exactly whom the domain matches', function () {
  this.timeout(120_000);
  let s: RulesScene;
  let tokenA: string;
  let tokenB: string;

  before(async () => {
    s = await rulesScene();
    const [itemA, itemB] = s.topics;
    tokenA = (await s.token(itemA!)).id;
    tokenB = (await s.token(itemB!)).id;
    await s.seedUsers(80, (i) => ({ email: `sql${i}@${DOMAINS[i % DOMAINS.length]}`, type: TYPES_OF[i % TYPES_OF.length] }));
    const users = await s.t.knex('sandbox_users').where('email', 'like', 'sql%').orderBy('id');
    // Registrations: none, token A, token B, A with a campaign, both tokens with different campaigns.
    const rows = users.flatMap((u: { id: number }, i: number) => {
      const reg = (token: string, item: { type: string; id: string }, campaign: string | null) => ({
        token_id: token, item_type: item.type, item_id: item.id, user_id: String(u.id), new_user: true, created_at: new Date(), utm_campaign: campaign,
      });
      switch (i % 5) {
        case 1: return [reg(tokenA, itemA!, null)];
        case 2: return [reg(tokenB, itemB!, 'spring')];
        case 3: return [reg(tokenA, itemA!, 'spring')];
        case 4: return [reg(tokenA, itemA!, 'autumn'), reg(tokenB, itemB!, 'spring')];
        default: return [];
      }
    });
    await s.t.knex('selfreg_registrations').insert(rows);
  });
  after(() => s?.t.destroy());

  const rules = (): (RuleInput & { name: string })[] => [
    { name: 'all prospects' },
    { name: 'clients and staff', userTypes: ['client', 'staff'] },
    { name: 'any token', arrival: { kind: 'any_token' } },
    { name: 'token A', arrival: { kind: 'token', tokenId: tokenA } },
    { name: 'tokens of item B', arrival: { kind: 'item_tokens', item: s.topics[1] } },
    { name: 'example.com', emailDomains: { mode: 'in', domains: ['example.com'] } },
    { name: 'not example.com', emailDomains: { mode: 'not_in', domains: ['example.com', 'example.org'] } },
    { name: 'spring', campaigns: ['spring'] },
    { name: 'token A in spring', arrival: { kind: 'token', tokenId: tokenA }, campaigns: ['spring'] },
    { name: 'everything', userTypes: ['prospect', 'client'], arrival: { kind: 'any_token' }, emailDomains: { mode: 'in', domains: ['example.com', 'partner.test'] }, campaigns: ['spring', 'autumn'] },
  ];

  async function world() {
    const users = await s.t.knex('sandbox_users').where('email', 'like', 'sql%');
    const regs = await s.t.knex('selfreg_registrations').whereIn('user_id', users.map((u: { id: number }) => String(u.id)));
    const arrivals = (id: number): Arrival[] => regs.filter((r: { user_id: string }) => r.user_id === String(id))
      .map((r: { token_id: string; item_type: 'topic'; item_id: string; utm_campaign: string | null }) => ({ tokenId: String(r.token_id), tokenItem: { type: r.item_type, id: r.item_id }, campaign: r.utm_campaign }));
    return users.map((u: { id: number; email: string; type: 'prospect' | 'client' | 'staff' }) => ({ id: String(u.id), person: { type: u.type, email: u.email, arrivals: arrivals(u.id) } }));
  }

  it('selects, for each rule, exactly the users matches() accepts', async () => {
    const container = pluginOf(s.t).container;
    const targets = container.get<RuleTargets>(TYPES.RuleTargets);
    const users = container.get<UsersPort>(TYPES.Users);
    const people = await world();
    for (const input of rules()) {
      const checked = checkRule({ ...input, enrolIn: [s.topics[5]] });
      if (!checked.ok) throw new Error(`${input.name}: ${checked.error.code}`);
      const rule: EnrolmentRule = { id: '1', ...checked.value, createdAt: new Date(), updatedAt: new Date(), createdBy: null };
      const select = targets.select(rule, users.selectByType!(rule.conditions.userTypes), s.topics[5]!, { after: null, upTo: null });
      const got = ((await s.t.knex.raw(select.sql, select.bindings as never[])).rows as { user_id: string }[]).map((r) => r.user_id);
      const sqlOnes = new Set(got.filter((id) => people.some((p: { id: string }) => p.id === id)));
      const expected = new Set(people.filter((p: { person: Parameters<typeof matches>[1] }) => matches(rule, p.person)).map((p: { id: string }) => p.id));
      expect([...sqlOnes].sort(), input.name).to.deep.equal([...expected].sort());
      expect(expected.size, `${input.name} selects someone`).to.be.greaterThan(0);
    }
  });

  it('the set-based dry run counts what a paging one counts (a host without selectByType)', async () => {
    const container = pluginOf(s.t).container;
    const users = container.get<UsersPort>(TYPES.Users);
    const ports = {
      uow: container.get<UnitOfWork>(TYPES.UnitOfWork), enrolments: container.get(TYPES.Enrolments) as never,
      targets: container.get<RuleTargets>(TYPES.RuleTargets), facts: container.get<RulePeopleFacts>(TYPES.RulePersonFacts), chunkSize: 7,
    };
    const setBased = new RuleBackfill({ ...ports, users });
    const { selectByType: _omit, ...withoutSelect } = users as UsersPort & { selectByType?: unknown };
    void _omit;
    const paging = new RuleBackfill({ ...ports, users: Object.assign(Object.create(Object.getPrototypeOf(users)), withoutSelect) as UsersPort });
    expect(paging.setBased).to.equal(false);
    for (const input of rules()) {
      const checked = checkRule({ ...input, enrolIn: [s.topics[6], s.topics[7]] });
      if (!checked.ok) throw new Error(input.name);
      const rule: EnrolmentRule = { id: '1', ...checked.value, createdAt: new Date(), updatedAt: new Date(), createdBy: null };
      expect(await paging.dryRun(rule), input.name).to.deep.equal(await setBased.dryRun(rule));
      expect((await paging.matched(rule, 3)).count, input.name).to.equal((await setBased.matched(rule, 3)).count);
    }
  });
});
