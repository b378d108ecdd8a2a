/*
 * The host deletes an item (sandbox admin → `item.deleted`): its tokens and their codes are destroyed
 * with one audit entry each (by the system, because the item was deleted, nickname kept, no code),
 * its notification settings go, and what happened stays: registrations keep the nickname, enrolments
 * waiting for the item's digest are still reported. Other items are untouched.
 */
import { expect } from 'chai';
import supertest from 'supertest';
import { TYPES } from '../../src/types.js';
import type { NotificationSettingsRepository } from '../../src/domain/ports/notification-settings-repository.port.js';
import type { Token } from '../../src/domain/tokens/token.js';
import { signedInAgent } from '../support/sign-in.js';

import { count, NO_LIMITS, startRegistrationSandbox, type RegistrationSandbox } from './registration-helpers.js';

describe('e2e: deleting an item', function () {
  this.timeout(60_000);
  let s: RegistrationSandbox;
  let fair: Token;
  let plain: Token;
  let other: Token;
  const topicRow = () => ({ item_type: 'topic', item_id: s.items.topic.id });

  before(async () => {
    s = await startRegistrationSandbox({ options: NO_LIMITS });
    const { topic, article } = s.items;
    fair = await s.token(topic.ref, { nickname: 'Spring fair' });
    plain = await s.token(topic.ref, { maxUses: 5 });
    other = await s.token(article.ref, { nickname: 'Article token' });
    const settings = s.plugin.container.get<NotificationSettingsRepository>(TYPES.NotificationSettingsRepository);
    await settings.save(topic.ref, { enabled: true, mode: 'digest', stakeholders: ['owner@example.com'] }, 'admin-1');
    await settings.save(article.ref, { enabled: true, mode: 'each', stakeholders: [] }, 'admin-1');
    // A registration with the nickname token (no terms or privacy linked: no consent asked); the
    // topic's digest mode puts it in the entries waiting for the daily digest.
    await supertest(s.t.sandbox.app).post('/register').type('form')
      .send({ firstName: 'Ada', lastName: 'Lovelace', email: 'ada@example.com', token: fair.code! }).expect(200);
    expect(await count(s.knex, 'selfreg_digest_entries', topicRow())).to.equal(1);
    // A batch of codes on each item (its rows only: the codes are tokens like the others).
    await s.knex('selfreg_token_batches').insert([{ ...topicRow(), nickname: 'Handouts', size: 0 }, { item_type: 'article', item_id: article.id, nickname: 'Other', size: 0 }]);
    expect(await s.t.sandbox.admin.deleteItem(topic.ref)).to.equal(true);
  });
  after(async () => {
    await s?.close();
  });

  it('destroys the item’s tokens (codes and all); the deep link no longer works', async () => {
    expect(await count(s.knex, 'selfreg_tokens', topicRow())).to.equal(0);
    const res = await supertest(s.t.sandbox.app).get(`/register/${fair.code}`).expect(200);
    expect(res.text).to.contain('We don’t recognise that token');
  });

  it('writes one audit entry per destroyed token: deleted by the system because the item was deleted, nickname kept, no code', async () => {
    const rows = await s.knex('selfreg_audit_log').where(topicRow()).orderBy('id');
    const entries = rows.map((r) => ({
      action: r.action, actor_id: r.actor_id, actor_name: r.actor_name, via: r.via, token_id: String(r.token_id), token_nickname: r.token_nickname,
      details: typeof r.details === 'string' ? JSON.parse(r.details) : r.details,
    }));
    expect(entries).to.deep.equal([
      { action: 'token.deleted', actor_id: null, actor_name: 'System', via: 'system', token_id: fair.id, token_nickname: 'Spring fair', details: { uses: 1, reason: 'item_deleted' } },
      { action: 'token.deleted', actor_id: null, actor_name: 'System', via: 'system', token_id: plain.id, token_nickname: null, details: { uses: 0, reason: 'item_deleted' } },
    ]);
    const stored = JSON.stringify(rows);
    for (const t of [fair, plain]) {
      expect(stored).not.to.contain(t.code!);
      expect(stored).not.to.contain(t.code!.replace(/-/g, ''));
    }
  });

  it('shows those entries in the activity log with the reason', async () => {
    const a = s.t.accounts['Super admin']!;
    const admin = await signedInAgent(s.t, a.email, a.password);
    const page = await admin.get('/admin/self-registration/tokens/activity').expect(200);
    expect(page.text).to.contain('deleted <span class="selfreg-audit-subject">“Spring fair”</span> (used 1 time, because its item was deleted)');
    expect(page.text).to.contain('(automatically)');
  });

  it('deletes the item’s notification settings, not another item’s', async () => {
    expect(await count(s.knex, 'selfreg_notification_settings', topicRow())).to.equal(0);
    expect(await count(s.knex, 'selfreg_notification_settings', { item_type: 'article', item_id: s.items.article.id })).to.equal(1);
  });

  it('keeps the registrations with the nickname (no consent was asked: none recorded) and the pending digest entry', async () => {
    const regs = await s.knex('selfreg_registrations').where(topicRow());
    expect(regs.map((r) => ({ token_id: r.token_id, token_nickname: r.token_nickname, consented_at: r.consented_at, new_user: r.new_user }))).to.deep.equal([
      { token_id: null, token_nickname: 'Spring fair', consented_at: null, new_user: true },
    ]);
    const pending = await s.knex('selfreg_digest_entries').where(topicRow()).whereNull('digest_id');
    expect(pending.map((e) => ({ email: e.email, token_id: e.token_id, token_nickname: e.token_nickname }))).to.deep.equal([
      { email: 'ada@example.com', token_id: null, token_nickname: 'Spring fair' },
    ]);
  });

  it('removes the item’s batches with their codes, not another item’s', async () => {
    expect(await count(s.knex, 'selfreg_token_batches', topicRow())).to.equal(0);
    expect(await count(s.knex, 'selfreg_token_batches', { item_type: 'article', item_id: s.items.article.id })).to.equal(1);
  });

  it('leaves other items’ tokens alone', async () => {
    expect((await s.knex('selfreg_tokens').where({ item_type: 'article', item_id: s.items.article.id })).map((r) => String(r.id))).to.deep.equal([other.id]);
    expect(await count(s.knex, 'selfreg_audit_log', { item_type: 'article', item_id: s.items.article.id })).to.equal(0);
  });
});
