/*
 * Webhook endpoints through the JSON API: a Super admin's key manages them as the panel does (the
 * secret only in the creating answer), a Standard admin's key is refused, refusals carry stable
 * codes, and outside development an internal address is refused.
 */
import { expect } from 'chai';
import supertest from 'supertest';
import { startTestSandbox, type TestSandbox } from '../sandbox/helpers.js';
import { signIn } from '../support/sign-in.js';
import { until } from '../support/mail-support.js';
import { WebhookReceiver } from '../support/webhook-receiver.js';
import { createApiKey } from './token-management.fixtures.js';

const API = '/api/self-registration/v1';

describe('e2e: webhook endpoints in the JSON API', function () {
  this.timeout(60_000);
  let t: TestSandbox;
  let superKey = '';
  let standardKey = '';
  const receiver = new WebhookReceiver();
  const api = (key: string) => ({
    get: (path: string) => supertest(t.sandbox.app).get(`${API}${path}`).set('Authorization', `Bearer ${key}`),
    post: (path: string, body?: object) => supertest(t.sandbox.app).post(`${API}${path}`).set('Authorization', `Bearer ${key}`).send(body),
    put: (path: string, body: object) => supertest(t.sandbox.app).put(`${API}${path}`).set('Authorization', `Bearer ${key}`).send(body),
    del: (path: string) => supertest(t.sandbox.app).delete(`${API}${path}`).set('Authorization', `Bearer ${key}`),
  });

  before(async () => {
    await receiver.start();
    t = await startTestSandbox({ plugin: false });
    await t.sandbox.loadPlugin({ options: { outboxPollMs: 50 } });
    superKey = await createApiKey(await signIn(t, 'Super admin'), 'CRM sync');
    // A Standard admin holds no key-creating right: a Super admin's key owned by them is made in the store.
    standardKey = await createApiKey(await signIn(t, 'Super admin'), 'Second');
    const standard = await t.knex('sandbox_users').where({ email: t.accounts['Standard admin']!.email }).first('id');
    await t.knex('selfreg_api_keys').where({ name: 'Second' }).update({ created_by: String(standard.id) });
  });
  after(async () => {
    await t?.destroy();
    await receiver.stop();
  });

  it('outside development an address on this machine is refused with its code; https to a public name is accepted', async () => {
    const local = await api(superKey).post('/webhooks', { url: receiver.url, events: ['registration.created'] });
    expect(local.status).to.equal(422);
    expect(local.body.error.code).to.equal('WEBHOOK.URL_NOT_HTTPS');
    const loop = await api(superKey).post('/webhooks', { url: 'https://127.0.0.1/hooks', events: ['registration.created'] });
    expect(loop.body.error.code).to.equal('WEBHOOK.URL_INTERNAL');
    const none = await api(superKey).post('/webhooks', { url: 'https://crm.example.com/hooks', events: [] });
    expect(none.status).to.equal(400);
    const made = await api(superKey).post('/webhooks', { url: 'https://crm.example.com/hooks', description: 'CRM', events: ['registration.created', 'token.disabled'] });
    expect(made.status, JSON.stringify(made.body)).to.equal(201);
    expect(made.body.secret).to.match(/^whsec_/);
    expect(made.headers.location).to.equal(`${API}/webhooks/${made.body.endpoint.id}`);
    const listed = await api(superKey).get('/webhooks').expect(200);
    expect(listed.body.data).to.have.length(1);
    expect(JSON.stringify(listed.body)).not.to.contain(made.body.secret);
  });

  it('replace, disable, enable, rotate, test and delete; the audit log names the key', async () => {
    const [endpoint] = (await api(superKey).get('/webhooks')).body.data;
    const put = await api(superKey).put(`/webhooks/${endpoint.id}`, { url: 'https://crm.example.com/v2/hooks', events: ['registration.created'] });
    expect(put.status).to.equal(200);
    expect(put.body).to.deep.include({ url: 'https://crm.example.com/v2/hooks', events: ['registration.created'] });
    expect((await api(superKey).post(`/webhooks/${endpoint.id}/disable`)).body.status).to.equal('disabled');
    expect((await api(superKey).post(`/webhooks/${endpoint.id}/enable`)).body.status).to.equal('active');
    const rotated = await api(superKey).post(`/webhooks/${endpoint.id}/rotate`).expect(200);
    expect(rotated.body.secret).to.match(/^whsec_/);
    expect(rotated.body.endpoint.previousSecretValidUntil).to.be.a('string');
    await api(superKey).post(`/webhooks/${endpoint.id}/test`).expect(202);
    // The test delivery to a name that does not resolve fails once and stays in the log.
    await until(async () => ((await api(superKey).get('/webhooks')).body.data[0].deliveries[0]?.status === 'failed'), 20_000, 'the failed test');
    const failed = (await api(superKey).get('/webhooks')).body.data[0].deliveries[0];
    expect(failed).to.deep.include({ event: 'webhook.test', test: true, attempts: 1 });
    await api(superKey).post(`/webhooks/${endpoint.id}/deliveries/999999/replay`).expect(404);
    await api(superKey).del(`/webhooks/${endpoint.id}`).expect(204);
    await api(superKey).del(`/webhooks/${endpoint.id}`).expect(404);
    const audit = await t.knex('selfreg_audit_log').where('action', 'like', 'webhook.%').orderBy('id');
    expect(audit.map((a: { action: string }) => a.action)).to.deep.equal(['webhook.created', 'webhook.changed', 'webhook.disabled', 'webhook.enabled', 'webhook.secret_rotated', 'webhook.deleted']);
    expect(audit.every((a: { api_key_name?: string; actor_api_key_name?: string }) => JSON.stringify(a).includes('CRM sync'))).to.equal(true);
  });

  it("a Standard admin's key is refused (403 PERMISSION.DENIED)", async () => {
    const res = await api(standardKey).get('/webhooks');
    expect(res.status).to.equal(403);
    expect(res.body.error.code).to.equal('PERMISSION.DENIED');
  });
});
