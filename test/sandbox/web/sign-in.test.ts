import { expect } from 'chai';
import supertest from 'supertest';
import { safeReturnTo } from '../../../sandbox/web/return-to.js';
import { sessionCookie, signedIn, startTestSandbox } from '../helpers.js';
import type { TestSandbox } from '../helpers.js';

describe('sandbox sign-in', function () {
  let t: TestSandbox;
  before(async () => {
    t = await startTestSandbox();
  });
  after(async () => t?.destroy());

  const admin = () => t.accounts['Super admin']!;
  const learner = () => t.accounts['Staff learner']!;

  it('shows the sign-in page with the returnTo carried in the form', async () => {
    const res = await supertest(t.sandbox.app).get('/login?returnTo=%2Fitems%2Ftopic%2F1').expect(200);
    expect(res.text).to.contain('name="returnTo" value="/items/topic/1"');
    expect(res.text).to.contain('Acme Learning');
  });

  it('signs in with the right password and sets a hardened cookie', async () => {
    const res = await supertest(t.sandbox.app).post('/login').type('form').send({ email: admin().email, password: admin().password }).expect(303);
    expect(res.headers.location).to.equal('/');
    const cookie = (res.headers['set-cookie'] as unknown as string[]).find((c) => c.startsWith('sandbox.sid='))!;
    expect(cookie).to.match(/HttpOnly/i).and.to.match(/SameSite=Lax/i);
    expect(cookie).not.to.match(/Secure/i);
  });

  it('matches the email case-insensitively', async () => {
    await supertest(t.sandbox.app).post('/login').type('form').send({ email: learner().email.toUpperCase(), password: learner().password }).expect(303);
  });

  it('answers the same generic message for a wrong password and an unknown email', async () => {
    const wrong = await supertest(t.sandbox.app).post('/login').type('form').send({ email: admin().email, password: 'not the password' }).expect(401);
    const unknown = await supertest(t.sandbox.app).post('/login').type('form').send({ email: 'nobody@example.com', password: 'whatever123' }).expect(401);
    for (const res of [wrong, unknown]) {
      expect(res.text).to.contain('Email or password is incorrect.');
      expect(sessionCookie(res)).to.equal(null);
    }
  });

  it('escapes the email it echoes back', async () => {
    const res = await supertest(t.sandbox.app).post('/login').type('form').send({ email: '"><script>alert(1)</script>', password: 'x' }).expect(401);
    expect(res.text).not.to.contain('<script>alert(1)</script>');
    expect(res.text).to.contain('&#34;&gt;&lt;script&gt;');
  });

  it('refuses a suspended account', async () => {
    const editor = t.accounts['Standard admin']!;
    const [row] = await t.knex('sandbox_users').whereRaw('lower(email) = ?', [editor.email]).update({ status: 'suspended' }).returning('id');
    try {
      await supertest(t.sandbox.app).post('/login').type('form').send({ email: editor.email, password: editor.password }).expect(401);
    } finally {
      await t.knex('sandbox_users').where({ id: row.id }).update({ status: 'active' });
    }
  });

  it('redirects to a same-origin returnTo only', async () => {
    const go = async (returnTo: string) =>
      (await supertest(t.sandbox.app).post('/login').type('form').send({ email: admin().email, password: admin().password, returnTo }).expect(303)).headers.location;
    expect(await go('/admin/items?x=1')).to.equal('/admin/items?x=1');
    expect(await go('//evil.example/')).to.equal('/');
    expect(await go('/\\evil.example')).to.equal('/');
    expect(await go('https://evil.example/')).to.equal('/');
    expect(await go('/\t/evil.example')).to.equal('/');
  });

  it('validates returnTo paths', () => {
    expect(safeReturnTo('/register/ABCD')).to.equal('/register/ABCD');
    for (const bad of ['', 'x', '//a', '/\\a', 'javascript:alert(1)', '/a\nb', '/a\\b', 42, null]) expect(safeReturnTo(bad)).to.equal(null);
  });

  it('changes the session id at sign-in and keeps it stable otherwise', async () => {
    const agent = supertest.agent(t.sandbox.app);
    const before = (await agent.get('/fake/session').expect(200)).body.key as string;
    expect(before).to.be.a('string');
    expect((await agent.get('/fake/whoami').expect(200)).body).to.deep.equal({ user: null, key: before });
    await agent.post('/login').type('form').send({ email: learner().email, password: learner().password }).expect(303);
    const after = (await agent.get('/fake/whoami').expect(200)).body as { user: { email: string }; key: string };
    expect(after.key).to.be.a('string').and.not.equal(before);
    expect(after.user.email).to.equal(learner().email);
    // The old session is gone from the store.
    expect(await t.knex('sandbox_sessions').where({ sid: before }).first()).to.equal(undefined);
  });

  it('signs in through credentials.signIn with a new session id', async () => {
    const agent = supertest.agent(t.sandbox.app);
    const before = (await agent.get('/fake/session').expect(200)).body.key as string;
    const user = await t.sandbox.host.users.findByEmail(learner().email);
    const res = await agent.post(`/fake/sign-in/${user!.id}`).expect(200);
    expect(res.body.key).to.be.a('string').and.not.equal(before);
    await agent.get('/').expect(200);
    expect((await agent.get('/fake/whoami').expect(200)).body.user.id).to.equal(user!.id);
  });

  it('treats a user suspended after sign-in as signed out', async () => {
    const agent = await signedIn(t.sandbox, learner().email, learner().password);
    const user = (await t.sandbox.host.users.findByEmail(learner().email))!;
    await t.sandbox.admin.updateUser(user.id, { status: 'suspended' });
    try {
      expect((await agent.get('/fake/whoami').expect(200)).body.user).to.equal(null);
      await agent.get('/').expect(303);
    } finally {
      await t.sandbox.admin.updateUser(user.id, { status: 'active' });
    }
  });

  it('signs out with a POST', async () => {
    const agent = await signedIn(t.sandbox, admin().email, admin().password);
    await agent.get('/').expect(200);
    const res = await agent.post('/logout').expect(303);
    expect(res.headers.location).to.equal('/login');
    await agent.get('/').expect(303);
  });

  it('refuses cross-origin POSTs to its own forms', async () => {
    await supertest(t.sandbox.app).post('/login').set('Origin', 'https://evil.example').type('form').send({ email: admin().email, password: admin().password }).expect(403);
    await supertest(t.sandbox.app).post('/login').set('Referer', 'https://evil.example/page').type('form').send({ email: admin().email, password: admin().password }).expect(403);
    await supertest(t.sandbox.app).post('/login').set('Origin', 'http://localhost:3000').type('form').send({ email: admin().email, password: admin().password }).expect(303);
  });
});
