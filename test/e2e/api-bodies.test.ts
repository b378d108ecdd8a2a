/*
 * The JSON API reads JSON only, at most 20 kB, and says so with the codes docs/api.md lists — also
 * on a host that parses bodies before the plugin's router, as the sandbox does.
 */
import { expect } from 'chai';
import supertest from 'supertest';
import { startTestSandbox, type TestSandbox } from '../sandbox/helpers.js';
import { signIn } from '../support/sign-in.js';
import { createApiKey, ownTopic } from './token-management.fixtures.js';

const API = '/api/self-registration/v1';

describe('e2e: the JSON API refuses bodies it does not read', function () {
  this.timeout(60_000);
  let t: TestSandbox;
  let key: string;
  let topic: { id: string };

  before(async () => {
    t = await startTestSandbox({ plugin: false, env: { PUBLIC_BASE_URL: 'http://learn.acme.test' } });
    await t.sandbox.loadPlugin({ options: { outboxPollMs: 60_000 } });
    key = await createApiKey(await signIn(t, 'Super admin'), 'Bodies');
    topic = await ownTopic(t);
  });
  after(() => t?.destroy());

  const tokens = async () => Number((await t.knex('selfreg_tokens').count({ n: '*' }).first())!.n);
  const post = () => supertest(t.sandbox.app).post(`${API}/tokens`).set('Authorization', `Bearer ${key}`);

  it('a form body is a 415 BODY.UNSUPPORTED_TYPE, even when the host already parsed it, and creates nothing', async () => {
    const before = await tokens();
    const res = await post().type('form').send({ 'item[type]': 'topic', 'item[id]': topic.id, nickname: 'Form' });
    expect(res.status).to.equal(415);
    expect(res.body.error).to.deep.include({ code: 'BODY.UNSUPPORTED_TYPE', field: 'body' });
    expect(await tokens()).to.equal(before);
  });

  it('a body over 20 kB is a 413 BODY.TOO_LARGE, and creates nothing', async () => {
    const before = await tokens();
    const res = await post().send({ item: { type: 'topic', id: topic.id }, nickname: 'x'.repeat(25_000) });
    expect(res.status).to.equal(413);
    expect(res.body.error).to.deep.include({ code: 'BODY.TOO_LARGE', field: 'body' });
    expect(await tokens()).to.equal(before);
  });

  it('JSON within the limit still works', async () => {
    const res = await post().send({ item: { type: 'topic', id: topic.id }, nickname: 'Small' });
    expect(res.status).to.equal(201);
  });

  it('malformed JSON is a 400 VALIDATION.FAILED from the API itself, in JSON, not the host\'s error page', async () => {
    const res = await post().set('Content-Type', 'application/json').send('{"item": ');
    expect(res.status).to.equal(400);
    expect(res.headers['content-type']).to.match(/^application\/json/);
    expect(res.body.error).to.deep.include({ code: 'VALIDATION.FAILED', field: 'body' });
  });

});
