/*
 * The JSON API over HTTP against the sandbox host: bearer API keys made in the portal panel, every
 * token call, registrations, the audit log, JSON errors with stable codes and fields, and pagination.
 */
import { expect } from 'chai';
import supertest from 'supertest';
import type { Knex } from 'knex';
import { startTestSandbox, type TestSandbox } from '../sandbox/helpers.js';
import { signIn, type Person } from '../support/sign-in.js';
import { createApiKey, ownTopic } from './token-management.fixtures.js';

const BASE = 'http://learn.acme.test';
const API = '/api/self-registration/v1';

describe('e2e: the JSON API', function () {
  this.timeout(60_000);
  let t: TestSandbox;
  let knex: Knex;
  let admin: Person;
  let key: string;
  let topic: { id: string; title: string };
  const year = new Date().getUTCFullYear() + 1;

  before(async () => {
    t = await startTestSandbox({ plugin: false, env: { PUBLIC_BASE_URL: BASE, TIME_ZONE: 'America/New_York' } });
    knex = t.knex;
    await t.sandbox.loadPlugin({ options: { outboxPollMs: 60_000 } });
    admin = await signIn(t, 'Super admin');
    key = await createApiKey(admin, 'CRM sync');
    topic = await ownTopic(t);
  });
  after(() => t?.destroy());

  const api = () => supertest(t.sandbox.app);
  const auth = (k = key) => ({ Authorization: `Bearer ${k}` });
  const post = (path: string, body: unknown, k = key) => api().post(`${API}${path}`).set(auth(k)).send(body as object);
  const get = (path: string, k = key) => api().get(`${API}${path}`).set(auth(k));
  const errorOf = (res: { body: { error?: unknown } }) => res.body.error as { code: string; message: string; field?: string };

  describe('authentication', () => {
    it('without a key: 401 AUTH.REQUIRED, JSON, with a WWW-Authenticate challenge', async () => {
      const res = await api().get(`${API}/tokens`);
      expect(res.status).to.equal(401);
      expect(res.headers['content-type']).to.match(/^application\/json/);
      expect(res.headers['www-authenticate']).to.equal('Bearer realm="self-registration"');
      expect(res.body).to.deep.equal({ error: { code: 'AUTH.REQUIRED', message: 'Authenticate with an API key: send the header “Authorization: Bearer <key>”.' } });
    });

    it('an unknown or malformed key: 401 AUTH.INVALID_KEY', async () => {
      for (const bad of [`srk_${'A'.repeat(43)}`, 'not-a-key', key.slice(0, -1)]) {
        const res = await get('/tokens', bad);
        expect(res.status, bad).to.equal(401);
        expect(errorOf(res).code).to.equal('AUTH.INVALID_KEY');
        expect(res.headers['www-authenticate']).to.contain('error="invalid_token"');
      }
    });

    it('cookies are never accepted: a signed-in Super admin without a key gets 401', async () => {
      const res = await admin.agent.get(`${API}/tokens`);
      expect(res.status).to.equal(401);
      expect(errorOf(res).code).to.equal('AUTH.REQUIRED');
      const write = await admin.agent.post(`${API}/tokens`).send({ item: `topic:${topic.id}` });
      expect(write.status).to.equal(401);
      expect(await knex('selfreg_tokens')).to.have.length(0);
    });

    it('the key is stored only as a SHA-256 digest; its last use shows in the portal panel', async () => {
      expect(JSON.stringify(await knex('selfreg_api_keys').select('*'))).not.to.contain(key);
      await get('/tokens').expect(200);
      const row = await knex('selfreg_api_keys').first();
      expect(row.last_used_at).to.not.equal(null);
      const panel = (await admin.agent.get('/admin/portal')).text;
      expect(panel).to.contain('CRM sync').and.to.contain(`${key.slice(0, 10)}…`).and.not.to.contain(key);
    });
  });

  describe('tokens', () => {
    let id: string;

    it('POST /tokens creates a token: 201, Location, the token as JSON', async () => {
      const res = await post('/tokens', { item: { type: 'topic', id: topic.id }, nickname: 'From the CRM', expiresOn: `${year}-12-01`, maxUses: 3 });
      expect(res.status).to.equal(201);
      id = res.body.id;
      expect(res.headers.location).to.equal(`${API}/tokens/${id}`);
      expect(res.body).to.deep.include({
        item: { type: 'topic', id: topic.id, title: topic.title },
        nickname: 'From the CRM',
        custom: false,
        status: 'active',
        enabled: true,
        expiresOn: `${year}-12-01`,
        expiresAt: `${year}-12-02T05:00:00.000Z`, // midnight EST (-05:00) in New York
        maxUses: 3,
        uses: 0,
        lastUsedAt: null,
      });
      expect(res.body.code).to.match(/^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
      expect(res.body.deepLink).to.equal(`${BASE}/register/${res.body.code}`);
      expect(res.body.createdBy).to.deep.equal({ id: admin.id, name: 'Alex Admin' });
      const audit = await knex('selfreg_audit_log').where({ token_id: id }).first();
      expect(audit).to.include({ action: 'token.created', via: 'api', api_key_name: 'CRM sync', actor_id: admin.id });
    });

    it('accepts the item as "type:id" and a custom code; a taken code is 409 TOKEN.CODE_TAKEN on field customCode', async () => {
      const first = await post('/tokens', { item: `topic:${topic.id}`, customCode: 'crm-2026-spring' });
      expect(first.status).to.equal(201);
      expect(first.body).to.include({ code: 'CRM-2026-SPRING', custom: true, nickname: null, maxUses: null, expiresAt: null });
      const taken = await post('/tokens', { item: `topic:${topic.id}`, customCode: 'CRM 2026 SPRING' });
      expect(taken.status).to.equal(409);
      expect(taken.body).to.deep.equal({ error: { code: 'TOKEN.CODE_TAKEN', message: 'That code is already in use. Choose another.', field: 'customCode' } });
    });

    it('validation: strict bodies name the field; domain refusals are 422 with their own code', async () => {
      const cases: [unknown, number, string, string][] = [
        [{ item: `topic:${topic.id}`, uses: 5 }, 400, 'VALIDATION.FAILED', 'uses'],
        [{ item: `topic:${topic.id}`, maxUses: 'ten' }, 400, 'VALIDATION.FAILED', 'maxUses'],
        [{ item: `topic:${topic.id}`, maxUses: 1.5 }, 400, 'VALIDATION.FAILED', 'maxUses'],
        [{ item: 'topic' }, 400, 'VALIDATION.FAILED', 'item'],
        [{ item: { type: 'course', id: '1' } }, 400, 'VALIDATION.FAILED', 'item'],
        [{}, 400, 'VALIDATION.FAILED', 'item'],
        [[1, 2], 400, 'VALIDATION.FAILED', 'body'],
        [{ item: `topic:${topic.id}`, maxUses: 0 }, 422, 'TOKEN.MAX_USES_INVALID', 'maxUses'],
        [{ item: `topic:${topic.id}`, expiresOn: '2020-01-01' }, 422, 'TOKEN.EXPIRY_IN_PAST', 'expiresOn'],
        [{ item: `topic:${topic.id}`, expiresOn: 'soon' }, 422, 'TOKEN.EXPIRY_INVALID', 'expiresOn'],
        [{ item: `topic:${topic.id}`, customCode: 'short' }, 422, 'TOKEN.CODE_TOO_SHORT', 'customCode'],
        [{ item: `topic:${topic.id}`, nickname: 'line\nbreak' }, 422, 'TOKEN.NICKNAME_INVALID', 'nickname'],
        [{ item: 'topic:999999' }, 422, 'KNOWLEDGE.NOT_FOUND', 'item'],
      ];
      const before = (await knex('selfreg_tokens')).length;
      for (const [body, status, code, field] of cases) {
        const res = await post('/tokens', body);
        expect(res.status, JSON.stringify(body)).to.equal(status);
        expect(errorOf(res).code, JSON.stringify(body)).to.equal(code);
        expect(errorOf(res).field, JSON.stringify(body)).to.equal(field);
        expect(errorOf(res).message).to.be.a('string').and.not.to.match(/select|insert|stack|at \w+ \(/i);
      }
      expect(await knex('selfreg_tokens')).to.have.length(before);
    });

    it('library content is refused: 422 KNOWLEDGE.LIBRARY_CONTENT', async () => {
      const lib = await knex('sandbox_items').where({ origin: 'library' }).first();
      const res = await post('/tokens', { item: { type: lib.type, id: String(lib.id) } });
      expect(res.status).to.equal(422);
      expect(res.body.error).to.deep.equal({ code: 'KNOWLEDGE.LIBRARY_CONTENT', message: 'Tokens are only available for knowledge your organisation created, not for content imported from the library.', field: 'item' });
    });

    it('GET /tokens/:id, and 404 TOKEN.NOT_FOUND for unknown ids', async () => {
      const res = await get(`/tokens/${id}`).expect(200);
      expect(res.body.nickname).to.equal('From the CRM');
      for (const bad of ['999999', 'abc']) {
        const missing = await get(`/tokens/${bad}`);
        expect(missing.status).to.equal(404);
        expect(missing.body).to.deep.equal({ error: { code: 'TOKEN.NOT_FOUND', message: 'That token no longer exists.' } });
      }
    });

    it('PATCH /tokens/:id edits nickname, expiry, max uses and enabled; null clears', async () => {
      const res = await api().patch(`${API}/tokens/${id}`).set(auth()).send({ nickname: 'Renamed', expiresOn: null, maxUses: 10, enabled: false });
      expect(res.status).to.equal(200);
      expect(res.body).to.include({ nickname: 'Renamed', expiresAt: null, expiresOn: null, maxUses: 10, enabled: false, status: 'disabled' });
      const actions = (await knex('selfreg_audit_log').where({ token_id: id }).orderBy('id').select('action')).map((r: { action: string }) => r.action);
      expect(actions).to.deep.equal(['token.created', 'token.renamed', 'token.expiry_changed', 'token.max_uses_changed', 'token.disabled']);
      const bad = await api().patch(`${API}/tokens/${id}`).set(auth()).send({ enabled: 'yes' });
      expect(bad.status).to.equal(400);
      expect(errorOf(bad)).to.include({ code: 'VALIDATION.FAILED', field: 'enabled' });
      const readOnly = await api().patch(`${API}/tokens/${id}`).set(auth()).send({ code: 'NEW-CODE-123' });
      expect(errorOf(readOnly)).to.include({ code: 'VALIDATION.FAILED', field: 'code' });
    });

    it('POST /tokens/:id/enable and /disable', async () => {
      expect((await post(`/tokens/${id}/enable`, {}).expect(200)).body.status).to.equal('active');
      expect((await post(`/tokens/${id}/disable`, {}).expect(200)).body.status).to.equal('disabled');
      await post(`/tokens/${id}/enable`, {}).expect(200);
      expect((await post('/tokens/999999/enable', {})).status).to.equal(404);
    });

    it('GET /tokens/:id/registrations lists who registered, newest first, with the total', async () => {
      const token = (await get(`/tokens/${id}`)).body;
      for (const email of ['one@example.com', 'two@example.com']) {
        await api().post('/register').type('form').send({ firstName: 'Pat', lastName: 'Doe', email, token: token.code }).expect(200);
      }
      const res = await get(`/tokens/${id}/registrations?limit=1`).expect(200);
      expect(res.body.total).to.equal(2);
      expect(res.body.data).to.have.length(1);
      expect(res.body.data[0]).to.deep.include({ newUser: true, tokenNickname: 'Renamed', item: { type: 'topic', id: topic.id } });
      expect(res.body.data[0].user).to.deep.include({ email: 'two@example.com', firstName: 'Pat', lastName: 'Doe', type: 'prospect' });
      const rest = await get(`/tokens/${id}/registrations?limit=1&cursor=${res.body.nextCursor}`).expect(200);
      expect(rest.body.data[0].user.email).to.equal('one@example.com');
      expect(rest.body.nextCursor).to.equal(null);
      expect((await get(`/tokens/${id}`)).body).to.include({ uses: 2 });
    });

    it('GET /tokens filters by item, status and text, pages with an opaque cursor, and caps limit at 100', async () => {
      for (let i = 0; i < 4; i++) await post('/tokens', { item: `topic:${topic.id}`, nickname: `Page ${i}` }).expect(201);
      const first = await get('/tokens?limit=2').expect(200);
      expect(first.body.total).to.equal(6);
      expect(first.body.data.map((x: { nickname: string }) => x.nickname)).to.deep.equal(['Page 3', 'Page 2']);
      expect(first.body.nextCursor).to.be.a('string').and.not.to.match(/^\d+$/);
      const second = await get(`/tokens?limit=2&cursor=${first.body.nextCursor}`).expect(200);
      expect(second.body.data.map((x: { nickname: string }) => x.nickname)).to.deep.equal(['Page 1', 'Page 0']);
      const third = await get(`/tokens?limit=2&cursor=${second.body.nextCursor}`).expect(200);
      expect(third.body.data).to.have.length(2);
      expect(third.body.nextCursor).to.equal(null);
      expect((await get(`/tokens?q=renamed`)).body.data.map((x: { id: string }) => x.id)).to.deep.equal([id]);
      expect((await get(`/tokens?q=crm%202026%20spring`)).body.total).to.equal(1);
      expect((await get(`/tokens?item=topic:${topic.id}&status=active`)).body.total).to.equal(6);
      expect((await get('/tokens?status=disabled')).body.total).to.equal(0);
      for (const [query, field] of [['limit=101', 'limit'], ['limit=0', 'limit'], ['limit=abc', 'limit'], ['cursor=nonsense!', 'cursor'], ['cursor=Yjp4', 'cursor'], ['status=gone', 'status'], ['item=topic', 'item'], ['sort=id', 'sort']]) {
        const res = await get(`/tokens?${query}`);
        expect(res.status, query).to.equal(400);
        expect(errorOf(res), query).to.include({ code: 'VALIDATION.FAILED', field });
      }
    });

    it('GET /audit lists token events with the API key they came through', async () => {
      const res = await get(`/audit?tokenId=${id}&limit=3`).expect(200);
      expect(res.body.data.map((e: { action: string }) => e.action)).to.deep.equal(['token.enabled', 'token.disabled', 'token.enabled']);
      expect(res.body.data[0].actor).to.deep.equal({ id: admin.id, name: 'Alex Admin', via: 'api', apiKey: { id: res.body.data[0].actor.apiKey.id, name: 'CRM sync' } });
      expect(res.body.data[0].token).to.deep.equal({ id, nickname: 'Renamed' });
      expect(res.body.nextCursor).to.be.a('string');
    });

    it('parallel edits queue on the token’s row lock: each audit entry starts where the previous one ended', async () => {
      const created = await post('/tokens', { item: `topic:${topic.id}`, nickname: 'Raced', maxUses: 10 }).expect(201);
      const results = await Promise.all(
        Array.from({ length: 8 }, (_, i) => api().patch(`${API}/tokens/${created.body.id}`).set(auth()).send({ maxUses: 11 + i })),
      );
      expect(results.map((r) => r.status)).to.deep.equal(Array(8).fill(200));
      const chain = (await knex('selfreg_audit_log').where({ token_id: created.body.id, action: 'token.max_uses_changed' }).orderBy('id').select('details'))
        .map((r: { details: unknown }) => (typeof r.details === 'string' ? JSON.parse(r.details) : r.details) as { from: number; to: number });
      expect(chain).to.have.length(8);
      expect(chain[0]!.from).to.equal(10);
      for (let i = 1; i < chain.length; i++) expect(chain[i]!.from, `entry ${i}`).to.equal(chain[i - 1]!.to);
      expect((await get(`/tokens/${created.body.id}`)).body.maxUses).to.equal(chain.at(-1)!.to);
      await api().delete(`${API}/tokens/${created.body.id}`).set(auth()).expect(204);
    });

    it('DELETE /tokens/:id: 204, then 404; registrations keep the nickname', async () => {
      const code = (await get(`/tokens/${id}`)).body.code;
      await api().delete(`${API}/tokens/${id}`).set(auth()).expect(204);
      expect((await get(`/tokens/${id}`)).status).to.equal(404);
      expect((await api().delete(`${API}/tokens/${id}`).set(auth())).status).to.equal(404);
      expect((await get(`/tokens/${id}/registrations`)).status).to.equal(404);
      const regs = await knex('selfreg_registrations').where({ token_nickname: 'Renamed' });
      expect(regs).to.have.length(2);
      expect((await api().get(`/register/${code}`)).text).to.contain('We don’t recognise that token');
      expect((await get(`/audit?tokenId=${id}&limit=1`)).body.data[0]).to.include({ action: 'token.deleted' });
    });

    it('unknown routes and methods: 404 ROUTE.NOT_FOUND as JSON', async () => {
      const res = await get('/nothing-here');
      expect(res.status).to.equal(404);
      expect(res.body).to.deep.equal({ error: { code: 'ROUTE.NOT_FOUND', message: 'There is nothing at this address.' } });
      expect((await api().put(`${API}/tokens/1`).set(auth()).send({})).body.error.code).to.equal('ROUTE.NOT_FOUND');
    });
  });

  describe('the key acts as the Super admin who created it, as they are now', () => {
    it('a revoked key stops working at once', async () => {
      const other = await createApiKey(admin, 'Temporary');
      await get('/tokens', other).expect(200);
      const row = await knex('selfreg_api_keys').where({ name: 'Temporary' }).first();
      const res = await admin.agent.post(`/admin/self-registration/api-keys/${row.id}/revoke`).type('form').send({ _csrf: admin.csrf, returnTo: '/admin/portal' });
      expect(res.headers.location).to.equal('/admin/portal?selfreg=keyRevoked#self-registration-portal');
      expect(errorOf(await get('/tokens', other)).code).to.equal('AUTH.INVALID_KEY');
      expect((await admin.agent.get('/admin/portal')).text).to.contain('Revoked');
      const again = await admin.agent.post(`/admin/self-registration/api-keys/${row.id}/revoke`).type('form').send({ _csrf: admin.csrf, returnTo: '/admin/portal' });
      expect(again.headers.location).to.contain('selfreg_error=APIKEY.NOT_FOUND');
    });

    it('demoted to Standard admin: tokens still managed (same rules as the panels); to a learner: 403; suspended: 401', async () => {
      const owner = admin.id;
      try {
        await t.sandbox.admin.updateUser(owner, { role: 'standard_admin' });
        await get('/tokens').expect(200);
        await t.sandbox.admin.updateUser(owner, { role: null });
        const denied = await get('/tokens');
        expect(denied.status).to.equal(403);
        expect(denied.body).to.deep.equal({ error: { code: 'PERMISSION.DENIED', message: 'You don’t have permission to do that.' } });
        expect((await post('/tokens', { item: `topic:${topic.id}` })).status).to.equal(403);
        await t.sandbox.admin.updateUser(owner, { role: 'super_admin', status: 'suspended' });
        expect(errorOf(await get('/tokens')).code).to.equal('AUTH.INVALID_KEY');
      } finally {
        await t.sandbox.admin.updateUser(owner, { role: 'super_admin', status: 'active' });
      }
      await get('/tokens').expect(200);
    });

    it('creating a key needs a name; a Standard admin cannot create one', async () => {
      const res = await admin.agent.post('/admin/self-registration/api-keys').type('form').send({ _csrf: admin.csrf, name: '  ', returnTo: '/admin/portal' });
      expect(res.status).to.equal(303);
      expect(res.headers.location).to.contain('selfreg_error=APIKEY.NAME_INVALID').and.to.contain('selfreg_form=key');
      expect((await admin.agent.get(res.headers.location!)).text).to.contain('Give the key a name of 1 to 100 characters');
      const editor = await signIn(t, 'Standard admin');
      await editor.agent.post('/admin/self-registration/api-keys').type('form').send({ _csrf: editor.csrf, name: 'Sneaky', returnTo: '/admin/portal' }).expect(403);
      expect(await knex('selfreg_api_keys').where({ name: 'Sneaky' })).to.have.length(0);
    });
  });
});
