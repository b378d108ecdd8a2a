/*
 * The public registration pages over HTTP for visitors who are signed in to the host, against the
 * sandbox host with the real plugin and mail delivered to a real SMTP server on loopback: their own
 * details prefilled, registering their own or someone else's email, and the "Already have an
 * account? Sign in" path to one-click enrolment. Anonymous visitors are in registration-pages-form.
 */
import { expect } from 'chai';
import supertest from 'supertest';
import type { HostUser } from '../../src/domain/shared/user.js';
import { signedInAgent } from '../support/sign-in.js';

import { SmtpCapture } from '../support/smtp.js';
import { answerShape, count, csrfOf, usesOf, type RegistrationSandbox } from './registration-helpers.js';
import { pagesRequests, startPagesSandbox } from './registration-pages.helpers.js';

describe('e2e: the public registration pages', function () {
  this.timeout(60_000);
  let s: RegistrationSandbox;
  const smtp = new SmtpCapture();
  let code: string;
  let tokenId: string;
  let admin: HostUser;
  const { anon, form, branding } = pagesRequests(() => s, () => code);

  before(async () => {
    ({ s, code, tokenId, admin } = await startPagesSandbox(smtp));
  });
  after(async () => {
    await s?.close();
    await smtp.stop();
  });

  describe('signed-in visitors', () => {
    it('see their own details prefilled, with a form token bound to their session', async () => {
      const staff = s.t.accounts['Staff learner']!;
      const agent = await signedInAgent(s.t, staff.email, staff.password);
      const res = await agent.get(`/register/${code}`).expect(200);
      expect(res.text).to.contain(`You’re signed in as Sam Staff (${staff.email}).`);
      expect(res.text).to.contain(`value="${staff.email}"`).and.to.contain('value="Sam"');
      expect(csrfOf(res.text)).to.match(/^[A-Za-z0-9_-]{40,}$/);
      expect(res.text).not.to.contain('Already have an account?');
    });

    it('registering their own email enrols them at once and goes straight to the item: no mail, no seat, type kept', async () => {
      const staff = s.t.accounts['Staff learner']!;
      const agent = await signedInAgent(s.t, staff.email, staff.password);
      const user = await s.knex('sandbox_users').where({ email: staff.email }).first();
      const page = await agent.get(`/register/${code}`).expect(200);
      const users = await count(s.knex, 'sandbox_users');
      const uses = async () => await usesOf(s.knex, tokenId);
      const usesBefore = await uses();
      const res = await agent.post('/register').type('form').send({ firstName: 'Sam', lastName: 'Staff', email: staff.email.toUpperCase(), token: code, _csrf: csrfOf(page.text) });
      expect(res.status).to.equal(303);
      expect(res.headers.location).to.equal(`/items/topic/${s.items.topic.id}`);
      await agent.get(res.headers.location!).expect(200);
      expect(await count(s.knex, 'sandbox_enrolments', { user_id: user.id, item_type: 'topic', item_id: s.items.topic.id })).to.equal(1);
      expect(await s.knex('selfreg_registrations').where({ user_id: String(user.id) }).select('new_user')).to.deep.equal([{ new_user: false }]);
      expect(await count(s.knex, 'selfreg_outbox', { recipient: staff.email })).to.equal(0);
      expect(await count(s.knex, 'sandbox_users')).to.equal(users);
      expect((await s.knex('sandbox_users').where({ id: user.id }).first()).type).to.equal('staff');
      expect(await uses()).to.equal(usesBefore + 1);
    });

    it('without the form token (a cross-site post), the same request is answered as for anyone: a sign-in link by email', async () => {
      const client = s.t.accounts['Client learner']!;
      const agent = await signedInAgent(s.t, client.email, client.password);
      const res = await agent.post('/register').type('form').send(form({ email: client.email })).expect(200);
      const fresh = await anon().post('/register').type('form').send(form({ email: 'nobody.else@example.com' })).expect(200);
      expect(answerShape(res, client.email).body).to.equal(answerShape(fresh, 'nobody.else@example.com').body);
      expect(await s.knex('selfreg_outbox').where({ recipient: client.email }).pluck('template')).to.deep.equal(['sign-in-link']);
      const user = await s.knex('sandbox_users').where({ email: client.email }).first();
      expect(await count(s.knex, 'sandbox_enrolments', { user_id: user.id, item_id: s.items.topic.id })).to.equal(0);
    });

    it("registering someone else's email is answered as for anyone, and that inbox gets the link", async () => {
      const editor = s.t.accounts['Standard admin']!;
      const staff = s.t.accounts['Staff learner']!;
      const agent = await signedInAgent(s.t, staff.email, staff.password);
      const page = await agent.get('/register').expect(200);
      const res = await agent.post('/register').type('form').send(form({ email: editor.email, _csrf: csrfOf(page.text) })).expect(200);
      expect(res.text).to.contain('Check your inbox');
      expect(await s.knex('selfreg_outbox').where({ recipient: editor.email }).pluck('template')).to.deep.equal(['sign-in-link']);
    });
  });

  describe('"Already have an account? Sign in" and the one-click page', () => {
    it('goes through the host’s sign-in and back to a one-click enrolment for the token', async () => {
      const article = (await s.token(s.items.article.ref)).code!;
      const page = await anon().get(`/register/${article}`).expect(200);
      const signIn = `/login?returnTo=${encodeURIComponent(`/register/${article}/enrol`)}`;
      expect(page.text).to.contain(`href="${signIn.replace(/&/g, '&amp;')}"`);
      // Anonymous visitors of the one-click page are sent to sign in, and back.
      expect((await anon().get(`/register/${article}/enrol`).expect(303)).headers.location).to.equal(signIn);

      const client = s.t.accounts['Client learner']!;
      const agent = supertest.agent(s.t.sandbox.app);
      const login = await agent.post('/login').type('form').send({ email: client.email, password: client.password, returnTo: `/register/${article}/enrol` }).expect(303);
      expect(login.headers.location).to.equal(`/register/${article}/enrol`);
      const confirm = await agent.get(login.headers.location!).expect(200);
      expect(confirm.text).to.contain('Enrol with one click').and.to.contain(s.items.article.title).and.to.contain(client.email);
      // No terms or privacy linked: no consent asked.
      expect(confirm.text).not.to.contain('name="consent"');
      const user = await s.knex('sandbox_users').where({ email: client.email }).first();
      expect(await count(s.knex, 'sandbox_enrolments', { user_id: user.id, item_id: s.items.article.id })).to.equal(0);

      // A post without the session's form token changes nothing.
      await agent.post(`/register/${article}/enrol`).type('form').send({}).expect(403);
      expect(await count(s.knex, 'sandbox_enrolments', { user_id: user.id, item_id: s.items.article.id })).to.equal(0);

      const done = await agent.post(`/register/${article}/enrol`).type('form').send({ _csrf: csrfOf(confirm.text) }).expect(303);
      expect(done.headers.location).to.equal(`/items/article/${s.items.article.id}`);
      await agent.get(done.headers.location!).expect(200);
      expect(await count(s.knex, 'sandbox_enrolments', { user_id: user.id, item_type: 'article', item_id: s.items.article.id })).to.equal(1);
      expect(await s.knex('selfreg_registrations').where({ user_id: String(user.id), item_id: s.items.article.id }).select('new_user', 'consented_at', 'consent_terms_url', 'consent_privacy_url'))
        .to.deep.equal([{ new_user: false, consented_at: null, consent_terms_url: null, consent_privacy_url: null }]);
      expect((await s.knex('sandbox_users').where({ id: user.id }).first()).type).to.equal('client');

      // Enrolled: the page just takes them to the item, and a repeated post takes no second use.
      expect((await agent.get(`/register/${article}/enrol`).expect(303)).headers.location).to.equal(`/items/article/${s.items.article.id}`);
      await agent.post(`/register/${article}/enrol`).type('form').send({ _csrf: csrfOf(confirm.text) }).expect(303);
      expect(await count(s.knex, 'selfreg_registrations', { user_id: String(user.id), item_id: s.items.article.id })).to.equal(1);
    });

    it('refuses a closed token on the one-click page with its reason', async () => {
      const disabled = await s.token(s.items.pathway.ref, { enabled: false });
      const client = s.t.accounts['Client learner']!;
      const agent = await signedInAgent(s.t, client.email, client.password);
      const res = await agent.get(`/register/${disabled.code}/enrol`).expect(200);
      expect(res.text).to.contain('This token can’t be used').and.to.contain('currently disabled');
    });

    it('asks for consent once terms or privacy are linked: refused without the tick (nothing written, no use taken), recorded with it', async () => {
      const TERMS = 'https://acme.example/terms';
      const PRIVACY = 'https://acme.example/privacy';
      expect((await branding().update(admin, { primaryColour: '#1f5fbf', accentColour: '#ffbf47', termsUrl: TERMS, privacyUrl: PRIVACY })).ok).to.equal(true);
      try {
        const token = await s.token(s.items.pathway.ref);
        // Not enrolled in the pathway (the closed token above left it so).
        const client = s.t.accounts['Client learner']!;
        const agent = await signedInAgent(s.t, client.email, client.password);
        const user = await s.knex('sandbox_users').where({ email: client.email }).first();
        const enrolments = () => count(s.knex, 'sandbox_enrolments', { user_id: user.id, item_type: 'pathway', item_id: s.items.pathway.id });
        const uses = async () => await usesOf(s.knex, token.id);

        const page = await agent.get(`/register/${token.code}/enrol`).expect(200);
        expect(page.text).to.contain('name="consent" type="checkbox" value="yes" required>');
        expect(page.text).to.contain('<label for="consent">I agree to the terms of use and the privacy notice</label>');
        expect(page.text).to.contain(`href="${TERMS}" target="_blank"`).and.to.contain(`href="${PRIVACY}" target="_blank"`);
        expect(page.text).to.contain('novalidate').and.not.to.contain('There is a problem');

        // Not ticked: the page again, the error summarised and linked to the box; nothing written, no use taken.
        const refused = await agent.post(`/register/${token.code}/enrol`).type('form').send({ _csrf: csrfOf(page.text) }).expect(422);
        expect(refused.text).to.contain('<h1>Enrol with one click</h1>').and.to.contain(s.items.pathway.title);
        expect(refused.text).to.contain('role="alert"').and.to.contain('<h2 id="error-summary-title">There is a problem</h2>');
        expect(refused.text).to.contain('<a href="#consent">Tick the box to confirm you agree before you register.</a>');
        expect(refused.text).to.contain('id="consent-error"').and.to.contain('aria-invalid="true" aria-describedby="consent-error"');
        expect(await enrolments()).to.equal(0);
        expect(await uses()).to.equal(0);
        expect(await count(s.knex, 'selfreg_registrations', { token_id: token.id })).to.equal(0);

        // Ticked (on the re-rendered page): enrolled, one use, and the evidence of consent recorded.
        const done = await agent.post(`/register/${token.code}/enrol`).type('form').send({ _csrf: csrfOf(refused.text), consent: 'yes' }).expect(303);
        expect(done.headers.location).to.equal(`/items/pathway/${s.items.pathway.id}`);
        expect(await enrolments()).to.equal(1);
        expect(await uses()).to.equal(1);
        const regs = await s.knex('selfreg_registrations').where({ token_id: token.id });
        expect(regs.map((r) => ({ user: r.user_id, newUser: r.new_user, terms: r.consent_terms_url, privacy: r.consent_privacy_url })))
          .to.deep.equal([{ user: String(user.id), newUser: false, terms: TERMS, privacy: PRIVACY }]);
        expect(regs[0].consented_at).to.be.instanceOf(Date);
        expect(new Date(regs[0].consented_at).toISOString()).to.equal(new Date(regs[0].created_at).toISOString());
      } finally {
        await branding().update(admin, { primaryColour: '#1f5fbf', accentColour: '#ffbf47' });
      }
    });
  });
});
