/*
 * Registrant journeys that hold up, against the sandbox host with the real plugin, PostgreSQL (or
 * PGlite) and mail delivered to a real SMTP server on loopback: an emailed link whose token closed
 * since the mail, the no-seat page against what the inbox gets, dead links that point somewhere,
 * tokens that name whom to ask, "check your inbox" with the address and a way to send again, and a
 * signed-in visitor who is enrolled already.
 */
import { expect } from 'chai';
import supertest from 'supertest';
import { SmtpCapture } from '../support/smtp.js';
import { signedInAgent } from '../support/sign-in.js';
import { answerShape, count, type RegistrationSandbox } from './registration-helpers.js';
import { securityRequests, startSecuritySandbox } from './security-registration.helpers.js';

/** The hidden fields of the "Send it again" form on a check-your-inbox page. */
function resendFields(html: string): Record<string, string> {
  const form = /<form[^>]*class="selfreg-resend"[^>]*>([\s\S]*?)<\/form>/.exec(html)?.[1];
  if (!form) throw new Error('no "Send it again" form on the page');
  const fields: Record<string, string> = {};
  for (const m of form.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) fields[m[1]!] = m[2]!.replace(/&#64;/g, '@');
  return fields;
}

describe('e2e: registrant journeys hold up', function () {
  this.timeout(90_000);
  let s: RegistrationSandbox;
  const smtp = new SmtpCapture();
  let code: string;
  const { anon, form, settled, linkPath } = securityRequests(() => s, () => code, smtp);
  const adminEmail = () => s.t.config.adminEmail;

  before(async () => {
    ({ s, code } = await startSecuritySandbox(smtp));
  });
  after(async () => {
    await s?.close();
    await smtp.stop();
  });

  describe('an emailed link whose token closed since the mail', () => {
    for (const [what, close, reason] of [
      ['used up', async (id: string) => s.setToken(id, { max_uses: 1, uses: 1 }), 'reached its limit of registrations since we emailed you'],
      ['disabled', async (id: string) => s.setToken(id, { enabled: false }), 'has been disabled since we emailed you'],
      ['expired', async (id: string) => s.setToken(id, { expires_at: new Date(Date.now() - 60_000) }), 'has expired since we emailed you'],
    ] as const) {
      it(`${what}: the sign-in link still signs the person in and says on the plugin's page why they are not enrolled, and whom to ask`, async () => {
        const token = await s.token(s.items.article.ref, { nickname: `Race ${what}` });
        // An existing account enrolled in nothing yet.
        const staff = { email: `race.${what.replace(' ', '-')}@example.com` };
        await s.knex('sandbox_users').insert({ email: staff.email, first_name: 'Race', last_name: 'Case', type: 'staff', role: null, status: 'active', created_at: new Date() });
        const mark = await settled();
        await anon().post('/register').type('form').send(form({ email: staff.email, token: token.code! })).expect(200);
        const path = await linkPath(staff.email, 'sign-in', mark);
        // The confirm page promises the item; then the token closes.
        expect((await anon().get(path).expect(200)).text).to.contain('You’ll go straight to').and.to.contain(s.items.article.title);
        await close(token.id);
        // Asked again, the confirm page no longer promises the item; it says why.
        const confirm = (await anon().get(path).expect(200)).text;
        expect(confirm).not.to.contain('You’ll go straight to');
        expect(confirm).to.contain(reason).and.to.contain(`it won’t enrol you in ${s.items.article.title}`);

        const agent = supertest.agent(s.t.sandbox.app);
        const res = await agent.post(path).expect(200);
        expect(res.headers['set-cookie'], 'signed in').to.be.an('array');
        expect(res.headers['content-security-policy']).to.contain("default-src 'none'");
        expect(res.text).to.contain('You’re signed in, but not enrolled').and.to.contain(`We couldn’t enrol you in ${s.items.article.title}.`);
        expect(res.text).to.contain(reason).and.to.contain(`mailto:${adminEmail()}`).and.to.contain('Acme Learning');
        expect(res.text).not.to.contain('Not enrolled</h1>');
        // Really signed in (the link proved the mailbox); the item itself stays closed to them.
        await agent.get('/').expect(200); // the dashboard, not the sign-in page
        await anon().get('/').expect(303);
        const user = await s.knex('sandbox_users').where({ email: staff.email }).first();
        expect(await count(s.knex, 'sandbox_enrolments', { user_id: user.id, item_type: 'article', item_id: s.items.article.id })).to.equal(0);
      });
    }

    it('already enrolled meanwhile: the closed token does not matter, the link takes them to the item', async () => {
      const token = await s.token(s.items.pathway.ref, { nickname: 'Race enrolled' });
      const client = s.t.accounts['Client learner']!;
      const mark = await settled();
      await anon().post('/register').type('form').send(form({ email: client.email, token: token.code! })).expect(200);
      const path = await linkPath(client.email, 'sign-in', mark);
      const user = await s.knex('sandbox_users').where({ email: client.email }).first();
      await s.t.sandbox.host.enrolments.enrol(String(user.id), s.items.pathway.ref);
      await s.setToken(token.id, { enabled: false });
      const res = await supertest.agent(s.t.sandbox.app).post(path).expect(303);
      expect(res.headers.location).to.match(new RegExp(`/items/pathway/${s.items.pathway.id}$`));
    });
  });

  describe('no seat left', () => {
    it('the page reads true for new and known emails alike; a pending prospect gets a fresh invitation that works, a known account a sign-in link that enrols', async () => {
      const pending = 'pending.seat@example.com';
      const mark = await settled();
      await anon().post('/register').type('form').send(form({ email: pending })).expect(200);
      await linkPath(pending, 'invitation', mark);
      const used = await count(s.knex, 'sandbox_users');
      await s.knex('sandbox_portal').where({ id: 1 }).update({ seat_limit: used });
      try {
        const mark2 = await settled();
        const fresh = await anon().post('/register').type('form').send(form({ email: 'no.place@example.com' })).expect(422);
        const again = await anon().post('/register').type('form').send(form({ email: pending, token: (await s.token(s.items.article.ref)).code! })).expect(422);
        const staff = s.t.accounts['Staff learner']!;
        const known = await anon().post('/register').type('form').send(form({ email: staff.email, token: (await s.token(s.items.pathway.ref)).code! })).expect(422);
        for (const res of [again, known]) expect(answerShape(res, '-')).to.deep.equal(answerShape(fresh, '-'));
        expect(fresh.text).to.contain('can’t create new accounts').and.to.contain('If you already have an account with this email address').and.to.contain('we’ve emailed you a link');
        expect(await count(s.knex, 'sandbox_users', { email: 'no.place@example.com' })).to.equal(0);

        // The pending prospect's fresh invitation works (it needs no new seat) and opens the new item.
        const invitation = await linkPath(pending, 'invitation', mark2);
        const accepted = await supertest.agent(s.t.sandbox.app).post(invitation).type('form').send({ password: 'a long enough password', passwordConfirm: 'a long enough password' }).expect(303);
        expect(accepted.headers.location).to.match(new RegExp(`/items/article/${s.items.article.id}$`));
        // The known account's sign-in link enrols it (existing accounts take no seat).
        const signIn = await linkPath(staff.email, 'sign-in', mark2);
        const signedIn = await supertest.agent(s.t.sandbox.app).post(signIn).expect(303);
        expect(signedIn.headers.location).to.match(new RegExp(`/items/pathway/${s.items.pathway.id}$`));
      } finally {
        await s.knex('sandbox_portal').where({ id: 1 }).update({ seat_limit: null });
      }
    });
  });

  describe('dead links point somewhere useful', () => {
    it('a used invitation links to sign-in; an expired one to its token’s form, filled in; an unknown one to the registration page', async () => {
      const email = 'dead.links@example.com';
      const mark = await settled();
      await anon().post('/register').type('form').send(form({ email })).expect(200);
      const path = await linkPath(email, 'invitation', mark);
      const password = { password: 'a long enough password', passwordConfirm: 'a long enough password' };
      await anon().post(path).type('form').send(password).expect(303);
      const used = await anon().post(path).type('form').send(password).expect(410);
      expect(used.text).to.contain('already been used').and.to.contain('href="/login?returnTo=%2F"');
      expect((await anon().get(path).expect(410)).text).to.contain('href="/login?returnTo=%2F"');

      const late = 'late.invite@example.com';
      const mark2 = await settled();
      await anon().post('/register').type('form').send(form({ email: late })).expect(200);
      const expiring = await linkPath(late, 'invitation', mark2);
      const user = await s.knex('sandbox_users').where({ email: late }).first();
      await s.knex('selfreg_email_links').where({ user_id: String(user.id) }).update({ expires_at: new Date(Date.now() - 1000) });
      for (const res of [await anon().get(expiring).expect(410), await anon().post(expiring).type('form').send(password).expect(410)]) {
        expect(res.text).to.contain('This link has expired').and.to.contain(`href="/register/${code}"`).and.to.contain('Register again');
      }
      const unknown = await anon().get('/self-registration/invitation/not-a-real-link').expect(410);
      expect(unknown.text).to.contain('This link is not valid').and.to.contain('href="/register"');
    });

    it('the one-click page offers a real way to another account (the form with the code), not a sign-out that is not there', async () => {
      const client = s.t.accounts['Client learner']!;
      const agent = await signedInAgent(s.t, client.email, client.password);
      const token = await s.token(s.items.article.ref, { nickname: 'One click' });
      const page = await agent.get(`/register/${token.code}/enrol`).expect(200);
      expect(page.text).not.to.contain('Sign out at the top');
      expect(page.text).to.contain(`href="/register/${token.code}"`).and.to.contain('Register with another email address instead');
    });
  });

  describe('tokens that can no longer be used', () => {
    it('the deep link says why and whom to ask, with no form below; posting one names the portal and its contact', async () => {
      const disabled = await s.token(s.items.article.ref, { enabled: false });
      const page = await anon().get(`/register/${disabled.code}`).expect(200);
      expect(page.text).to.contain('This token can’t be used').and.to.contain('currently disabled').and.to.contain(`mailto:${adminEmail()}`);
      expect(page.text).not.to.contain('<form').and.not.to.contain('contact the organisation that shared it');
      expect(page.text).to.contain('href="/register"');
      const usedUp = await s.token(s.items.article.ref, { maxUses: 1, uses: 1 });
      const posted = await anon().post('/register').type('form').send(form({ email: 'late@example.com', token: usedUp.code! })).expect(422);
      expect(posted.text).to.contain(`This token has reached its limit of registrations. Please contact Acme Learning (${adminEmail()})`);
      // An unknown code may be a typo: the form stays, to correct it.
      expect((await anon().get('/register/ZZZZ-ZZZZ-ZZZZ').expect(200)).text).to.contain('<form');
    });
  });

  describe('check your inbox', () => {
    it('names the address typed and sends again: the same request posted again, a fresh invitation replacing the first', async () => {
      const email = 'resend.me@example.com';
      const mark = await settled();
      const first = await anon().post('/register').type('form').send(form({ email })).expect(200);
      expect(first.text).to.contain('We sent it to <strong class="selfreg-address">resend.me@example.com</strong>');
      // A typo in the address: back to the form with the code filled in.
      expect(first.text).to.contain(`href="/register/${code}"`);
      const firstLink = await linkPath(email, 'invitation', mark);
      const fields = resendFields(first.text);
      expect(fields).to.deep.equal({ firstName: 'Ada', lastName: 'Lovelace', email, token: code });
      const mark2 = await settled();
      const again = await anon().post('/register').type('form').send(fields).expect(200);
      expect(answerShape(again, email)).to.deep.equal(answerShape(first, email));
      const secondLink = await linkPath(email, 'invitation', mark2);
      expect(secondLink).not.to.equal(firstLink);
      await anon().get(firstLink).expect(410);
      await anon().get(secondLink).expect(200);
      expect(await count(s.knex, 'sandbox_users', { email })).to.equal(1);
    });
  });

  describe('a signed-in visitor enrolled already', () => {
    it('is offered "Open <item>" on the deep link, not the registration form', async () => {
      const client = s.t.accounts['Client learner']!;
      const agent = await signedInAgent(s.t, client.email, client.password);
      const user = await s.knex('sandbox_users').where({ email: client.email }).first();
      await s.t.sandbox.host.enrolments.enrol(String(user.id), s.items.topic.ref);
      const page = await agent.get(`/register/${code}`).expect(200);
      expect(page.text).to.contain('You’re already enrolled').and.to.contain(`Open ${s.items.topic.title}`);
      expect(page.text).to.contain(`href="/items/topic/${s.items.topic.id}"`);
      expect(page.text).not.to.contain('name="firstName"');
      // Anyone else still gets the form.
      expect((await anon().get(`/register/${code}`).expect(200)).text).to.contain('name="firstName"');
    });
  });
});
