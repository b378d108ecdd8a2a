/* The reports' storage on a real database (PGlite by default, PostgreSQL with DATABASE_URL): the usage rollup, the view counter, learning steps. */
import { expect } from 'chai';
import type { Knex } from 'knex';
import { createTestDatabase, type TestDatabase } from '../../../support/database.js';
import { migrate } from '../../../../src/plugin.js';
import { readManifest } from '../../../../src/manifest/manifest.js';
import { PLUGIN_ROOT } from '../../../../src/adapters/views.js';
import { KnexRegistrationRepository } from '../../../../src/adapters/persistence/registration.repository.js';
import { KnexUsageRollup } from '../../../../src/adapters/persistence/reports/usage-rollup.store.js';
import { KnexUsageReport } from '../../../../src/adapters/persistence/reports/usage-report.store.js';
import { KnexLearningStore } from '../../../../src/adapters/persistence/reports/learning.store.js';
import { BufferedLinkViews } from '../../../../src/adapters/persistence/reports/link-views.store.js';
import { CatchUpUsageUseCase } from '../../../../src/application/reports/catch-up-usage.use-case.js';

const topic = { type: 'topic', id: '1' } as const;
const article = { type: 'article', id: '2' } as const;
const quiet = { info() {}, warn() {}, error() {} };
const portal = { timeZone: async () => 'Asia/Tokyo', info: async () => ({ name: 'P', primaryAdminEmail: 'a@b.c', publicBaseUrl: 'http://x', timeZone: 'Asia/Tokyo' }), invalidate() {} };

describe(`reports storage (${process.env.DATABASE_URL ? 'PostgreSQL' : 'PGlite'})`, () => {
  let db: TestDatabase;
  let knex: Knex;
  let catchUp: CatchUpUsageUseCase;
  let report: KnexUsageReport;
  let views: BufferedLinkViews;
  let tokenId: string;

  before(async () => {
    db = await createTestDatabase();
    knex = db.knex;
    await migrate(knex, readManifest(PLUGIN_ROOT));
    views = new BufferedLinkViews(knex, quiet);
    catchUp = new CatchUpUsageUseCase(views, new KnexUsageRollup(knex), portal);
    report = new KnexUsageReport(knex);
    const [t] = await knex('selfreg_tokens').insert({ item_type: 'topic', item_id: '1', nickname: 'Fair', code_digest: 'd'.repeat(64), code_ciphertext: 'x' }).returning('id');
    tokenId = String((t as { id: unknown }).id);
  });
  after(() => db?.destroy());

  const record = (userId: string, newUser: boolean, at: string, item: typeof topic | typeof article = topic, utm_source?: string) =>
    knex.transaction((tx) => new KnexRegistrationRepository(knex).record({
      tokenId, tokenNickname: 'Fair', item, userId, newUser, at: new Date(at),
      registrant: { email: `${userId}@x.test`, firstName: 'A', lastName: 'B', type: newUser ? 'prospect' : 'staff' },
      ...(utm_source && { attribution: { utm_source } }),
    }, tx));

  it('folds new registrations and newly reached steps into the daily totals, by the portal’s local day, each once', async () => {
    // 2026-11-30T16:00Z is already 1 December in Tokyo.
    await record('1', true, '2026-11-30T16:00:00Z', topic, 'news');
    await record('2', false, '2026-11-30T10:00:00Z');
    await record('3', true, '2026-11-30T11:00:00Z', article);
    expect(await catchUp.execute()).to.equal(3);
    expect(await catchUp.execute()).to.equal(0);
    const days = await knex('selfreg_usage_by_campaign').orderBy(['day', 'utm_source']).select(knex.raw("to_char(day, 'YYYY-MM-DD') as day"), 'utm_source', 'registrations', 'new_accounts', 'existing_accounts', 'activated');
    expect(days.map((d) => [d.day, d.utm_source, Number(d.registrations), Number(d.new_accounts), Number(d.existing_accounts), Number(d.activated)])).to.deep.equal([
      ['2026-11-30', '', 2, 1, 1, 1],
      ['2026-12-01', 'news', 1, 1, 0, 0],
    ]);

    await knex.transaction((tx) => new KnexRegistrationRepository(knex).markActivated('1', new Date('2026-12-02T00:00:00Z'), tx));
    const learning = new KnexLearningStore(knex);
    expect(await learning.record('1', topic, { kind: 'completed', outcome: 'failed', score: 40, at: new Date('2026-12-03T00:00:00Z') })).to.equal(true);
    expect(await learning.record('1', topic, { kind: 'completed', outcome: 'passed', score: 80, at: new Date('2026-12-04T00:00:00Z') })).to.equal(true);
    expect(await learning.record('1', topic, { kind: 'completed', outcome: 'failed', score: 10, at: new Date('2026-12-02T12:00:00Z') })).to.equal(true);
    expect(await learning.record('3', { type: 'pathway', id: '3' }, { kind: 'started', at: new Date() })).to.equal(false);
    expect(await learning.record('99', topic, { kind: 'started', at: new Date() })).to.equal(false);
    const row = await knex('selfreg_registrations').where({ user_id: '1' }).first();
    expect(row).to.include({ outcome: 'passed', score: 80 });
    expect(new Date(row.completed_at).toISOString()).to.equal('2026-12-02T12:00:00.000Z');
    expect(await catchUp.execute()).to.equal(1);
    expect(await catchUp.execute()).to.equal(0);

    views.count(tokenId, topic, '2026-12-01', ['news', '', '']);
    views.count(tokenId, topic, '2026-12-01', ['news', '', '']);
    views.count(tokenId, topic, '2026-11-30');
    await catchUp.execute();
    expect(await report.totals({})).to.deep.equal({ views: 3, registrations: 3, newAccounts: 2, existingAccounts: 1, activated: 2, started: 1, completed: 1 });
    expect(await report.totals({ fromDay: '2026-12-01', toDay: '2026-12-01' })).to.deep.include({ views: 2, registrations: 1, completed: 1 });
    expect(await report.totals({ item: article })).to.deep.include({ registrations: 1, views: 0 });
    const campaigns = await report.campaigns({}, 10);
    expect(campaigns.map((c) => [c.source, c.registrations, c.views])).to.deep.equal([[null, 2, 1], ['news', 1, 2]]);
    const items = await report.items({}, 10);
    expect(items.map((i) => [i.item.type, i.registrations, i.views])).to.deep.equal([['topic', 2, 3], ['article', 1, 0]]);
    const page = await report.tokens({}, { limit: 10 });
    expect(page.rows[0]).to.deep.include({ tokenId, views: 3, registrations: 3, completed: 1 });
  });
});
