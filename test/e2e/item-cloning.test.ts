/*
 * The host clones an item (the sandbox's Clone button → `item.cloned`): the copy keeps the source's
 * notification settings and gets each of its tokens as a disabled draft — a new code, the nickname
 * marked "(copy)", the same expiry and max uses, no uses — with an audit entry each, by the system.
 * Batches of codes are not copied. The copy's Enrolment panel says so. A second delivery of the event
 * copies nothing again; the source is untouched.
 */
import { expect } from 'chai';
import supertest from 'supertest';
import { TYPES } from '../../src/types.js';
import type { Token } from '../../src/domain/tokens/token.js';
import type { NotificationSettingsRepository } from '../../src/domain/ports/notification-settings-repository.port.js';
import type { TokenRepository } from '../../src/domain/ports/token-repository.port.js';
import type { KnowledgeRef } from '../../src/domain/shared/knowledge.js';
import { signIn, type Person } from '../support/sign-in.js';
import { NO_LIMITS, startRegistrationSandbox, type RegistrationSandbox } from './registration-helpers.js';

const DAY = 86_400_000;
const FORM_TOKEN = /name="_form_token" value="([^"]+)"/;

describe('e2e: cloning an item copies its notification settings and, disabled, its tokens', function () {
  this.timeout(60_000);
  let s: RegistrationSandbox;
  let admin: Person;
  let sources: Token[];
  let clone: KnowledgeRef;
  let sourceRows: unknown[];
  const rowsOf = (ref: KnowledgeRef) => s.knex('selfreg_tokens').where({ item_type: ref.type, item_id: ref.id }).orderBy('id');
  const notify = () => s.plugin.container.get<NotificationSettingsRepository>(TYPES.NotificationSettingsRepository);

  before(async () => {
    s = await startRegistrationSandbox({ options: NO_LIMITS });
    const { topic } = s.items;
    const future = new Date(Date.now() + 30 * DAY);
    const past = new Date(Date.now() - DAY);
    const custom = await s.plugin.container.get<TokenRepository>(TYPES.TokenRepository).insert({
      item: topic.ref, nickname: 'Custom', normalisedCode: 'CLONEME2026', displayCode: 'CLONE-ME-2026', custom: true, expiresAt: null, maxUses: null, createdBy: null,
    });
    sources = [
      await s.token(topic.ref, { nickname: 'Spring fair', maxUses: 25, expiresAt: future, uses: 3 }),
      await s.token(topic.ref, { enabled: false }),
      await s.token(topic.ref, { nickname: 'Last year', expiresAt: past }),
      custom!,
    ].sort((a, b) => Number(a.id) - Number(b.id));
    await supertest(s.t.sandbox.app).post('/register').type('form').send({ firstName: 'Ada', lastName: 'Lovelace', email: 'ada@example.com', token: sources.find((t) => t.nickname === 'Spring fair')!.code! }).expect(200);
    // A batch of codes on the topic (its rows only: the codes are tokens like the others).
    const [batch] = await s.knex('selfreg_token_batches').insert({ item_type: 'topic', item_id: topic.id, nickname: 'Leaflets', size: 1 }).returning('id');
    const leaflet = await s.token(topic.ref, { nickname: 'Leaflets' });
    await s.setToken(leaflet.id, { batch_id: typeof batch === 'object' ? batch.id : batch });
    await notify().save(topic.ref, { enabled: true, mode: 'digest', stakeholders: ['owner@example.test', 'sales@example.test'] }, 'admin-1');
    sourceRows = await rowsOf(topic.ref);

    admin = await signIn(s.t, 'Super admin');
    const items = await admin.agent.get('/admin/items').expect(200);
    await admin.agent.post(`/admin/items/topic/${topic.id}/clone`).type('form').send({ _form_token: FORM_TOKEN.exec(items.text)![1] }).expect(303);
    const row = await s.knex('sandbox_items').where({ title: `${topic.title} (copy)` }).first();
    clone = { type: 'topic', id: String(row.id) };
  });
  after(async () => {
    await s?.close();
  });

  it('gives the copy the source’s notification switch, mode and recipients', async () => {
    expect(await notify().get(clone)).to.deep.equal({ enabled: true, mode: 'digest', stakeholders: ['owner@example.test', 'sales@example.test'] });
  });

  it('gives the copy each token outside a batch as a disabled draft: new code, nickname marked, limits and expiry kept, no uses', async () => {
    const copies = await rowsOf(clone);
    expect(copies.map((c) => ({
      nickname: c.nickname, enabled: c.enabled, custom: c.custom, maxUses: c.max_uses, expiresAt: c.expires_at ? new Date(c.expires_at).toISOString() : null,
      uses: c.uses, lastUsed: c.last_used_at, from: String(c.copied_from), batch: c.batch_id,
    }))).to.deep.equal(sources.map((t) => ({
      nickname: t.nickname ? `${t.nickname} (copy)` : 'Copy', enabled: false, custom: false, maxUses: t.maxUses, expiresAt: t.expiresAt ? t.expiresAt.toISOString() : null,
      uses: 0, lastUsed: null, from: t.id, batch: null,
    })));
    const shards = await s.knex('selfreg_token_uses').whereIn('token_id', copies.map((c) => c.id));
    expect(shards).to.deep.equal([]);
    const digests = new Set((sourceRows as { code_digest: string }[]).map((r) => r.code_digest));
    for (const c of copies) expect(digests.has(c.code_digest), 'a copy never shares a code').to.equal(false);
  });

  it('leaves the source as it was', async () => {
    expect(await rowsOf(s.items.topic.ref)).to.deep.equal(sourceRows);
  });

  it('a copy’s code does not work until it is reactivated', async () => {
    const copy = (await s.plugin.container.get<TokenRepository>(TYPES.TokenRepository).listForItem(clone))[0]!;
    const page = await supertest(s.t.sandbox.app).get(`/register/${copy.code}`).expect(200);
    expect(page.text).to.contain('currently disabled');
  });

  it('writes an audit entry per copy and one for the settings, by the system, naming no code', async () => {
    const rows = await s.knex('selfreg_audit_log').where({ item_type: 'topic', item_id: clone.id }).orderBy('id');
    expect(rows.map((r) => [r.action, r.via, r.actor_name])).to.deep.equal([['notifications.copied', 'system', 'System'], ...sources.map(() => ['token.copied', 'system', 'System'])]);
    const text = JSON.stringify(rows);
    for (const c of await s.plugin.container.get<TokenRepository>(TYPES.TokenRepository).listForItem(clone)) expect(text).not.to.contain(c.code!);
    for (const t of sources) expect(text).not.to.contain(t.code!);
  });

  it('says in the copy’s Enrolment panel that its tokens are disabled copies, with the activity', async () => {
    const page = await admin.agent.get(`/admin/items/topic/${clone.id}/settings`).expect(200);
    expect(page.text).to.contain('4 tokens of this item are disabled copies of the tokens of the item it was cloned from');
    expect(page.text).to.contain('Batches of codes were not copied');
    expect(page.text).to.contain('copied when the item was cloned');
    expect(page.text).to.contain('made a disabled copy');
  });

  it('copies nothing twice when the event comes again', async () => {
    const before = { tokens: await rowsOf(clone), audit: await s.knex('selfreg_audit_log').count({ n: '*' }).first() };
    await s.t.sandbox.events.emit('item.cloned', { source: s.items.topic.ref, clone });
    expect({ tokens: await rowsOf(clone), audit: await s.knex('selfreg_audit_log').count({ n: '*' }).first() }).to.deep.equal(before);
  });

  it('two deliveries at once still copy each token once', async () => {
    const [row] = await s.knex('sandbox_items').insert({ type: 'topic', title: 'Raced clone', body: '', origin: 'own', created_at: new Date() }).returning('id');
    const raced: KnowledgeRef = { type: 'topic', id: String(typeof row === 'object' ? row.id : row) };
    await Promise.all([1, 2].map(() => s.t.sandbox.events.emit('item.cloned', { source: s.items.topic.ref, clone: raced })));
    expect((await rowsOf(raced)).map((r) => String(r.copied_from))).to.deep.equal(sources.map((t) => t.id));
    const audited = await s.knex('selfreg_audit_log').where({ item_type: 'topic', item_id: raced.id, action: 'token.copied' }).count<{ n: string | number }[]>({ n: '*' }).first();
    expect(Number(audited?.n)).to.equal(sources.length);
  });

  it('copies nothing to a clone the host does not know, or to library content', async () => {
    const before = await s.knex('selfreg_tokens').count<{ n: string | number }[]>({ n: '*' }).first();
    await s.t.sandbox.events.emit('item.cloned', { source: s.items.topic.ref, clone: { type: 'topic', id: '999999' } });
    const library = await s.knex('sandbox_items').where({ origin: 'library' }).first();
    await s.t.sandbox.events.emit('item.cloned', { source: s.items.topic.ref, clone: { type: library.type, id: String(library.id) } });
    expect(await s.knex('selfreg_tokens').count<{ n: string | number }[]>({ n: '*' }).first()).to.deep.equal(before);
    expect(await notify().get({ type: library.type, id: String(library.id) })).to.deep.equal({ enabled: false, mode: 'each', stakeholders: [] });
  });
});
