/* Storage of notifications on a real database: settings, digest entries and their once-only claims, form drafts. */
import { expect } from 'chai';
import type { Knex } from 'knex';
import { createTestDatabase, type TestDatabase } from '../../../support/database.js';
import { migrate } from '../../../../src/plugin.js';
import { readManifest } from '../../../../src/manifest/manifest.js';
import { PLUGIN_ROOT } from '../../../../src/adapters/views.js';
import { KnexDigestStore } from '../../../../src/adapters/persistence/digest.repository.js';
import { KnexNotificationSettingsRepository } from '../../../../src/adapters/persistence/notification-settings.repository.js';
import { DRAFT_TTL_MS, KnexFormDrafts } from '../../../../src/adapters/persistence/form-draft.repository.js';
import type { NewDigestEntry } from '../../../../src/domain/notifications/digest-entry.js';

const onPostgres = !!process.env.DATABASE_URL;
const topic = { type: 'topic', id: '12' } as const;
const other = { type: 'article', id: '3' } as const;

describe(`adapters: notification storage (${onPostgres ? 'PostgreSQL' : 'PGlite'})`, () => {
  let db: TestDatabase;
  let knex: Knex;
  let digests: KnexDigestStore;

  before(async () => {
    db = await createTestDatabase();
    knex = db.knex;
    await migrate(knex, readManifest(PLUGIN_ROOT));
    digests = new KnexDigestStore(knex);
  });
  after(() => db?.destroy());
  beforeEach(() => knex.raw('truncate selfreg_digest_entries, selfreg_digests, selfreg_notification_settings, selfreg_form_drafts restart identity cascade'));

  const entry = (at: string, email: string, item: NewDigestEntry['item'] = topic): NewDigestEntry => ({
    item, itemTitle: 'Fire safety', user: { id: email, email, firstName: 'F', lastName: 'L' }, newUser: true, tokenId: null, tokenNickname: 'Fair', at: new Date(at),
  });
  const add = (...entries: NewDigestEntry[]) => knex.transaction(async (tx) => {
    for (const e of entries) await digests.add(e, tx);
  });
  const day1 = { day: '2026-03-01', from: new Date('2026-03-01T00:00:00Z'), to: new Date('2026-03-02T00:00:00Z'), now: new Date('2026-03-02T08:00:00Z') };

  it('settings: off by default, saved and replaced, readable on a transaction', async () => {
    const repo = new KnexNotificationSettingsRepository(knex);
    expect(await repo.get(topic)).to.deep.equal({ enabled: false, mode: 'each', stakeholders: [] });
    await repo.save(topic, { enabled: true, mode: 'digest', stakeholders: ['a@acme.test'] }, '7');
    await repo.save(topic, { enabled: true, mode: 'each', stakeholders: ['a@acme.test', 'b@acme.test'] }, '8');
    expect(await knex.transaction((tx) => repo.get(topic, tx))).to.deep.equal({ enabled: true, mode: 'each', stakeholders: ['a@acme.test', 'b@acme.test'] });
    expect(await repo.get(other)).to.deep.equal({ enabled: false, mode: 'each', stakeholders: [] });
    expect((await knex('selfreg_notification_settings').first()).updated_by).to.equal('8');
  });

  it('an entry noted in a rolled-back registration never exists', async () => {
    await knex.transaction(async (tx) => {
      await digests.add(entry('2026-03-01T10:00:00Z', 'a@x.test'), tx);
      throw new Error('rollback');
    }).catch(() => undefined);
    expect(await digests.pending(new Date('2030-01-01'), 10)).to.deep.equal([]);
  });

  it('a day’s entries are claimed once; enrolments committed after it go in a second part', async () => {
    await add(entry('2026-03-01T10:00:00Z', 'a@x.test'), entry('2026-03-01T23:59:59Z', 'b@x.test'), entry('2026-03-02T00:00:00Z', 'c@x.test'), entry('2026-03-01T12:00:00Z', 'o@x.test', other));
    expect((await digests.pending(new Date('2026-03-02T00:00:00Z'), 10)).map((p) => [p.item.id, p.at.toISOString()])).to.deep.equal([
      ['12', '2026-03-01T10:00:00.000Z'], ['3', '2026-03-01T12:00:00.000Z'], ['12', '2026-03-01T23:59:59.000Z'],
    ]);
    const first = await knex.transaction((tx) => digests.claim({ item: topic, ...day1 }, tx));
    expect(first!.part).to.equal(1);
    expect(first!.entries.map((e) => e.user.email)).to.deep.equal(['a@x.test', 'b@x.test']);
    expect(first!.entries[0]).to.deep.include({ item: topic, itemTitle: 'Fire safety', newUser: true, tokenNickname: 'Fair' });
    expect(await knex.transaction((tx) => digests.claim({ item: topic, ...day1 }, tx))).to.equal(null);
    expect(await knex('selfreg_digests').count({ n: '*' }).first()).to.deep.equal({ n: onPostgres ? '1' : 1 });

    await add(entry('2026-03-01T23:59:59.500Z', 'late@x.test'));
    const second = await knex.transaction(async (tx) => {
      const claimed = await digests.claim({ item: topic, ...day1 }, tx);
      await digests.recordSent(claimed!.digestId, 3, tx);
      return claimed;
    });
    expect([second!.part, second!.entries.map((e) => e.user.email)]).to.deep.equal([2, ['late@x.test']]);
    expect(await knex('selfreg_digests').orderBy('part').select('day', 'part', 'entries', 'recipients')).to.deep.equal([
      { day: '2026-03-01', part: 1, entries: 2, recipients: null },
      { day: '2026-03-01', part: 2, entries: 1, recipients: 3 },
    ]);
  });

  it('two instances claiming the same day at once: one gets every entry, the other nothing', async () => {
    await add(...Array.from({ length: 20 }, (_, i) => entry(`2026-03-01T10:${String(i).padStart(2, '0')}:00Z`, `p${i}@x.test`)));
    const claims = await Promise.all([0, 1, 2].map(() => knex.transaction((tx) => digests.claim({ item: topic, ...day1 }, tx))));
    const winners = claims.filter((c) => c !== null);
    expect(winners).to.have.length(1);
    expect(winners[0]!.entries).to.have.length(20);
    expect(await digests.pending(new Date('2030-01-01'), 100)).to.deep.equal([]);
  });

  it('entries of digests older than the retention period are removed', async () => {
    await add(entry('2026-03-01T10:00:00Z', 'a@x.test'));
    await knex.transaction((tx) => digests.claim({ item: topic, ...day1, now: new Date() }, tx));
    expect(await digests.purgeSent(new Date(Date.now() - 60_000))).to.equal(0);
    expect(await digests.purgeSent(new Date(Date.now() + 60_000))).to.equal(1);
  });

  it('form drafts: read back only by the session that wrote them, and only for a while', async () => {
    const drafts = new KnexFormDrafts(knex);
    const now = new Date();
    const id = await drafts.save('session-a', 'notifications', { stakeholders: 'bob@' }, now);
    expect(id).to.match(/^[A-Za-z0-9_-]{24}$/);
    expect(await drafts.read('session-a', 'notifications', id, now)).to.deep.equal({ stakeholders: 'bob@' });
    expect(await drafts.read('session-b', 'notifications', id, now)).to.equal(null);
    expect(await drafts.read('session-a', 'other-form', id, now)).to.equal(null);
    expect(await drafts.read('session-a', 'notifications', `${id}x`, now)).to.equal(null);
    expect(await drafts.read('session-a', 'notifications', id, new Date(now.getTime() + DRAFT_TTL_MS + 1000))).to.equal(null);
    expect(await drafts.save(null, 'notifications', {}, now)).to.equal(null);
    expect(JSON.stringify(await knex('selfreg_form_drafts').select('*'))).not.to.contain('session-a');
  });
});
