/*
 * The sandbox's own pages are hardened like the plugin's: a Content-Security-Policy on every page,
 * HSTS when served over https, a favicon, and signed-in forms that need the session's token as well
 * as a same-origin Origin header.
 */
import { expect } from 'chai';
import supertest from 'supertest';
import { startTestSandbox, type TestSandbox } from '../helpers.js';

describe('sandbox: hardening of its own pages', function () {
  this.timeout(60_000);
  let t: TestSandbox;
  before(async () => {
    t = await startTestSandbox({ plugin: false, env: { PUBLIC_BASE_URL: 'https://learn.acme.test' } });
  });
  after(() => t?.destroy());

  it('every page sends a Content-Security-Policy with no inline script, and HSTS over https', async () => {
    for (const path of ['/login', '/mailbox', '/static/sandbox.css', '/nowhere']) {
      const res = await supertest(t.sandbox.app).get(path);
      expect(res.headers['content-security-policy'], path).to.contain("script-src 'self'").and.to.contain("frame-ancestors 'self'").and.not.to.contain('unsafe-eval');
      expect(res.headers['strict-transport-security'], path).to.equal('max-age=31536000; includeSubDomains');
    }
  });

  it('answers /favicon.ico, and the pages point to it', async () => {
    const icon = await supertest(t.sandbox.app).get('/favicon.ico').expect(200);
    expect(icon.headers['content-type']).to.match(/^image\/svg\+xml/);
    expect((await supertest(t.sandbox.app).get('/login')).text).to.contain('<link rel="icon" href="/favicon.ico"');
  });

  it('a signed-in POST needs the session\'s form token, not only a same-origin Origin header', async () => {
    // Over http here, so the test's agent keeps the (otherwise Secure) session cookie.
    await t.destroy();
    t = await startTestSandbox({ plugin: false, env: { PUBLIC_BASE_URL: 'http://learn.acme.test' } });
    const account = t.accounts['Super admin']!;
    const agent = supertest.agent(t.sandbox.app);
    await agent.post('/login').type('form').send({ email: account.email, password: account.password }).expect(303);
    const page = (await agent.get('/admin/items').expect(200)).text;
    const token = /name="_form_token" value="([^"]+)"/.exec(page)?.[1];
    expect(token, 'every sandbox form carries the token').to.be.a('string');
    const topic = await t.knex('sandbox_items').where({ type: 'topic', origin: 'own' }).first('id');
    const before = Number((await t.knex('sandbox_items').count({ n: '*' }).first())!.n);
    const forged = await agent.post(`/admin/items/topic/${topic.id}/clone`).set('Origin', 'http://learn.acme.test').type('form').send({});
    expect(forged.status).to.equal(403);
    expect(forged.text).to.contain('This form has expired');
    expect(Number((await t.knex('sandbox_items').count({ n: '*' }).first())!.n)).to.equal(before);
    await agent.post(`/admin/items/topic/${topic.id}/clone`).set('Origin', 'http://learn.acme.test').type('form').send({ _form_token: token }).expect(303);
    await agent.post('/logout').type('form').send({}).expect(403);
    await agent.post('/logout').type('form').send({ _form_token: token }).expect(303);
  });
});
