/*
 * The newcomer's path, end to end over HTTP against the sandbox host with the real plugin loaded
 * from its manifest, mail delivered to a real SMTP server on loopback and parsed with mailparser:
 * admin creates a token → deep link → registration → invitation email → set password → signed in →
 * item → dashboard. Plus the safety properties of the same path.
 */
import { expect } from 'chai';
import supertest from 'supertest';
import type { Knex } from 'knex';
import { startTestSandbox, type TestSandbox } from '../sandbox/helpers.js';
import { linkIn, SmtpCapture } from '../support/smtp.js';
import { csrfIn as csrfOf } from '../support/csrf.js';
import { signedInAgent } from '../support/sign-in.js';
import { answerShape, usesOf } from './registration-helpers.js';

// A base URL with a path (behind a proxy that strips it): links must keep it. http so test cookies flow.
const BASE = 'http://learn.acme.test/portal';

describe('e2e: token registration, from panel to dashboard', function () {
  let t: TestSandbox;
  let knex: Knex;
  const smtp = new SmtpCapture();
  let admin: Awaited<ReturnType<typeof signedInAgent>>;
  let topic: { id: string; title: string };
  let code: string;
  let deepLink: string;

  before(async () => {
    await smtp.start();
    t = await startTestSandbox({ plugin: false, env: { PUBLIC_BASE_URL: BASE, SMTP_URL: smtp.url } });
    knex = t.knex;
    await t.sandbox.loadPlugin({ options: { smtpUrl: smtp.url, outboxPollMs: 100 } });
    const row = await knex('sandbox_items').where({ type: 'topic', origin: 'own' }).orderBy('id').first();
    topic = { id: String(row.id), title: row.title };
    const a = t.accounts['Super admin']!;
    admin = await signedInAgent(t, a.email, a.password);
  });
  after(async () => {
    await t?.destroy();
    await smtp.stop();
  });

  const settingsPath = () => `/admin/items/topic/${topic.id}/settings`;

  it('an admin sees the Enrolment panel on the topic’s Settings tab and creates a token', async () => {
    const page = await admin.get(settingsPath()).expect(200);
    expect(page.text).to.contain('Enrolment').and.to.contain('Create a token');
    const res = await admin
      .post(`/admin/self-registration/items/topic/${topic.id}/tokens`)
      .type('form')
      .send({ _csrf: csrfOf(page.text), nickname: 'Newsletter <March>', customCode: '', returnTo: settingsPath() });
    expect(res.status).to.equal(303);
    expect(res.headers.location).to.match(new RegExp(`^${settingsPath()}\\?selfreg=created&selfreg_token=\\d+#self-registration$`));

    const after = await admin.get(res.headers.location!).expect(200);
    expect(after.text).to.contain('Token created.');
    expect(after.text).to.contain('Newsletter &lt;March&gt;').and.not.to.contain('Newsletter <March>');
    code = /<code class="selfreg-code">([0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4})<\/code>/.exec(after.text)![1]!;
    deepLink = /data-copy="([^"]+)"/.exec(after.text)![1]!;
    expect(deepLink).to.equal(`${BASE}/register/${code}`);
  });

  it('refuses a token form without a valid CSRF token, and learners altogether', async () => {
    const before = await knex('selfreg_tokens').count({ n: '*' }).first();
    await admin.post(`/admin/self-registration/items/topic/${topic.id}/tokens`).type('form').send({ nickname: 'x' }).expect(403);
    const learner = await signedInAgent(t, t.accounts['Staff learner']!.email, t.accounts['Staff learner']!.password);
    await learner.post(`/admin/self-registration/items/topic/${topic.id}/tokens`).type('form').send({ nickname: 'x' }).expect(403);
    await supertest(t.sandbox.app).post(`/admin/self-registration/items/topic/${topic.id}/tokens`).type('form').send({ nickname: 'x' }).expect(401);
    const afterCount = await knex('selfreg_tokens').count({ n: '*' }).first();
    expect(Number(afterCount!.n)).to.equal(Number(before!.n));
  });

  it('refuses tokens for library content', async () => {
    const lib = await knex('sandbox_items').where({ origin: 'library' }).first();
    const page = await admin.get(`/admin/items/${lib.type}/${lib.id}/settings`).expect(200);
    expect(page.text).to.contain('Tokens are not available for content imported from the library: only for knowledge your organisation created.');
    const res = await admin
      .post(`/admin/self-registration/items/${lib.type}/${lib.id}/tokens`)
      .type('form')
      .send({ _csrf: csrfOf((await admin.get(settingsPath())).text), returnTo: '/admin/items' });
    expect(res.headers.location).to.contain('selfreg_error=KNOWLEDGE.LIBRARY_CONTENT');
    expect(await knex('selfreg_tokens').where({ item_id: String(lib.id) })).to.have.length(0);
  });

  it('the deep link shows the form with the code and the item, reading leniently, consuming nothing', async () => {
    const anon = supertest(t.sandbox.app);
    const page = await anon.get(`/register/${code}`).expect(200);
    expect(page.text).to.contain(`value="${code}"`).and.to.contain(topic.title);
    expect(page.headers['set-cookie']).to.equal(undefined);
    const lenient = await anon.get(`/register/${code.toLowerCase().replace(/-/g, '')}`).expect(200);
    expect(lenient.text).to.contain(topic.title);
    expect((await knex('selfreg_tokens').first()).uses).to.equal(0);
    const unknown = await anon.get('/register/ZZZZ-ZZZZ-ZZZZ').expect(200);
    expect(unknown.text).to.contain('We don’t recognise that token');
  });

  it('a new person registers, gets the invitation, sets a password and lands on the topic, which waits on the dashboard', async () => {
    const visitor = supertest.agent(t.sandbox.app);
    const res = await visitor
      .post('/register')
      .set('Host', 'evil.example')
      .type('form')
      .send({ firstName: 'Ada', lastName: 'Lovelace', email: 'Ada@Example.com', token: code.toLowerCase(), type: 'staff', role: 'super_admin', status: 'suspended' });
    expect(res.status).to.equal(200);
    expect(res.text).to.contain('Check your inbox');
    expect(res.headers['set-cookie']).to.equal(undefined);

    const user = await knex('sandbox_users').whereRaw('lower(email) = ?', ['ada@example.com']).first();
    expect(user).to.include({ type: 'prospect', role: null, status: 'active', first_name: 'Ada' });
    expect(await knex('sandbox_enrolments').where({ user_id: user.id, item_type: 'topic', item_id: topic.id })).to.have.length(1);
    expect(await knex('selfreg_registrations').where({ user_id: String(user.id) })).to.have.length(1);
    expect(await usesOf(knex, (await knex('selfreg_tokens').first()).id)).to.equal(1);

    const [mail] = await smtp.waitFor(1);
    expect(mail!.envelopeTo).to.deep.equal(['ada@example.com']);
    expect(mail!.parsed.subject).to.match(/set your password/);
    expect(mail!.parsed.messageId).to.match(/^<.+@.+>$/);
    const link = linkIn(mail!.parsed.text!, '/self-registration/invitation/');
    expect(link.startsWith(`${BASE}/self-registration/invitation/`)).to.equal(true);
    expect(mail!.parsed.html).to.contain(link).and.to.contain(topic.title);
    expect(mail!.raw).not.to.contain('evil.example');

    const path = new URL(link).pathname.replace('/portal', '');
    // Mail scanners open links: a GET shows a form and consumes nothing.
    await visitor.get(path).expect(200);
    const form = await visitor.get(path).expect(200);
    expect(form.text).to.contain('Set your password').and.to.contain('Hello Ada');

    const mismatch = await visitor.post(path).type('form').send({ password: 'a-long-password-1', passwordConfirm: 'different-password' });
    expect(mismatch.status).to.equal(422);
    expect(mismatch.text).to.contain('The two passwords are different.');

    const set = await visitor.post(path).type('form').send({ password: 'a-long-password-1', passwordConfirm: 'a-long-password-1' });
    expect(set.status).to.equal(303);
    expect(set.headers.location).to.equal(`/items/topic/${topic.id}`);
    expect(set.headers['set-cookie']?.[0]).to.match(/^sandbox\.sid=/);

    const item = await visitor.get(set.headers.location!).expect(200);
    expect(item.text).to.contain(topic.title);
    const dashboard = await visitor.get('/').expect(200);
    expect(dashboard.text).to.contain(topic.title);

    // The link worked once.
    const again = await supertest(t.sandbox.app).post(path).type('form').send({ password: 'another-password-2', passwordConfirm: 'another-password-2' });
    expect(again.status).to.equal(410);
    expect(again.text).to.contain('already been used');
    // And the password set through it signs in at the host.
    await signedInAgent(t, 'ada@example.com', 'a-long-password-1');
  });

  it('a known email gets the same answer, no session, and a sign-in link in its own inbox', async () => {
    smtp.messages.length = 0;
    const staff = t.accounts['Staff learner']!;
    const form = { firstName: 'Someone', lastName: 'Else', token: code };
    const known = await supertest(t.sandbox.app).post('/register').type('form').send({ ...form, email: staff.email });
    const fresh = await supertest(t.sandbox.app).post('/register').type('form').send({ ...form, email: 'new.person@example.com' });
    expect(answerShape(known, staff.email)).to.deep.equal(answerShape(fresh, 'new.person@example.com'));
    expect(known.headers['set-cookie']).to.equal(undefined);
    expect(fresh.headers['set-cookie']).to.equal(undefined);

    const mails = await smtp.waitFor(2);
    const signInMail = mails.find((m) => m.envelopeTo[0] === staff.email.toLowerCase())!;
    expect(signInMail.parsed.subject).to.match(/sign-in link/);
    const path = new URL(linkIn(signInMail.parsed.text!, '/self-registration/sign-in/')).pathname.replace('/portal', '');
    const user = await knex('sandbox_users').where({ email: staff.email }).first();
    expect(user.type).to.equal('staff');
    expect(user.first_name).not.to.equal('Someone');
    expect(await knex('sandbox_enrolments').where({ user_id: user.id, item_type: 'topic', item_id: topic.id })).to.have.length(0);

    const agent = supertest.agent(t.sandbox.app);
    await agent.get(path).expect(200);
    const done = await agent.post(path).expect(303);
    expect(done.headers.location).to.equal(`/items/topic/${topic.id}`);
    await agent.get(done.headers.location!).expect(200);
    expect(await knex('sandbox_enrolments').where({ user_id: user.id, item_type: 'topic', item_id: topic.id })).to.have.length(1);
    expect((await knex('sandbox_users').where({ id: user.id }).first()).type).to.equal('staff');
    await supertest(t.sandbox.app).post(path).expect(410);
  });

  it('refuses bad input with a clear message per field, writing nothing', async () => {
    const users = Number((await knex('sandbox_users').count({ n: '*' }).first())!.n);
    const res = await supertest(t.sandbox.app)
      .post('/register')
      .type('form')
      .send({ firstName: '<script>alert(1)</script>', lastName: '', email: 'not-an-email', token: code });
    expect(res.status).to.equal(422);
    expect(res.text).to.contain('There is a problem');
    expect(res.text).to.contain('Use letters, spaces, hyphens and apostrophes only');
    expect(res.text).to.contain('Enter your last name.');
    expect(res.text).to.contain('Enter an email address like name@example.com.');
    expect(res.text).not.to.contain('<script>alert(1)</script>');
    expect(res.text).to.contain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(Number((await knex('sandbox_users').count({ n: '*' }).first())!.n)).to.equal(users);
  });

  it('an unknown code is refused with the one generic message', async () => {
    const res = await supertest(t.sandbox.app).post('/register').type('form').send({ firstName: 'Bo', lastName: 'Bo', email: 'bo@example.com', token: 'ABCD-EFGH-JKMN' });
    expect(res.status).to.equal(422);
    expect(res.text).to.contain('We don’t recognise that token');
  });

  it('a filled honeypot is answered like success and writes nothing', async () => {
    const users = Number((await knex('sandbox_users').count({ n: '*' }).first())!.n);
    const res = await supertest(t.sandbox.app).post('/register').type('form').send({ firstName: 'Bot', lastName: 'Bot', email: 'bot@example.com', token: code, website: 'http://spam' });
    expect(res.status).to.equal(200);
    expect(res.text).to.contain('Check your inbox');
    expect(Number((await knex('sandbox_users').count({ n: '*' }).first())!.n)).to.equal(users);
  });

  it('deleting the item destroys its tokens; registrations keep the nickname', async () => {
    await t.sandbox.admin.deleteItem({ type: 'topic', id: topic.id });
    expect(await knex('selfreg_tokens').where({ item_id: topic.id })).to.have.length(0);
    const regs = await knex('selfreg_registrations').where({ item_id: topic.id });
    expect(regs.length).to.be.greaterThan(0);
    expect(regs.every((r: { token_id: unknown; token_nickname: string }) => r.token_id === null && r.token_nickname === 'Newsletter <March>')).to.equal(true);
    const res = await supertest(t.sandbox.app).get(`/register/${code}`).expect(200);
    expect(res.text).to.contain('We don’t recognise that token');
  });
});
