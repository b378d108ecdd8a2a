/*
 * The registration side of security.md’s test list, part one: what registering tells about
 * accounts (nothing: every answer is the bytes a new email gets) and the emailed links (used once,
 * expiring, a fresh session id, the configured base URL whatever the Host header). Real SMTP on
 * loopback and the sandbox host; markup is in security-registration-markup, failures in
 * security-registration-failures.
 */
import { expect } from 'chai';
import supertest from 'supertest';
import { linkIn, SmtpCapture } from '../support/smtp.js';
import { sessionCookie } from '../sandbox/helpers.js';
import { answerShape, count, type RegistrationSandbox } from './registration-helpers.js';
import { securityRequests, startSecuritySandbox } from './security-registration.helpers.js';
import { signedInAgent } from '../support/sign-in.js';

describe('security: the registration side of security.md’s test list', function () {
  this.timeout(90_000);
  let s: RegistrationSandbox;
  const smtp = new SmtpCapture();
  let code: string;
  const { anon, form, settled, mailTo, linkPath } = securityRequests(() => s, () => code, smtp);

  before(async () => {
    ({ s, code } = await startSecuritySandbox(smtp));
  });
  after(async () => {
    await s?.close();
    await smtp.stop();
  });

  describe('no enumeration', () => {
    it('a known email, a pending invitation, a suspended account and a visitor signed in as someone else all get the bytes a new email gets', async () => {
      // A pending invitation: registered once, never accepted.
      await anon().post('/register').type('form').send(form({ email: 'pending@example.com' })).expect(200);
      const suspended = 'suspended@example.com';
      await s.knex('sandbox_users').insert({ email: suspended, first_name: 'Sus', last_name: 'Pended', type: 'client', role: null, status: 'suspended', created_at: new Date() });
      const staff = s.t.accounts['Staff learner']!;
      const other = await signedInAgent(s.t, s.t.accounts['Client learner']!.email, s.t.accounts['Client learner']!.password);

      const fresh = await anon().post('/register').type('form').send(form({ email: 'brand.new@example.com' }));
      const answers = {
        known: [await anon().post('/register').type('form').send(form({ email: staff.email })), staff.email],
        pending: [await anon().post('/register').type('form').send(form({ email: 'PENDING@example.com' })), 'PENDING@example.com'],
        suspended: [await anon().post('/register').type('form').send(form({ email: suspended })), suspended],
        signedInAsOther: [await other.post('/register').type('form').send(form({ email: staff.email })), staff.email],
      } as const;
      // The page shows back the address typed (whoever owns it); all else is byte for byte the same.
      expect(fresh.text).to.contain('brand.new@example.com');
      for (const [name, [res, email]] of Object.entries(answers)) {
        expect(answerShape(res, email), name).to.deep.equal(answerShape(fresh, 'brand.new@example.com'));
        expect(res.headers['set-cookie'], name).to.equal(undefined);
      }
    });

    it('with no seat left, new and known emails again get the same bytes', async () => {
      const used = await count(s.knex, 'sandbox_users');
      await s.knex('sandbox_portal').where({ id: 1 }).update({ seat_limit: used });
      try {
        const fresh = await anon().post('/register').type('form').send(form({ email: 'no.seat@example.com' }));
        const known = await anon().post('/register').type('form').send(form({ email: s.t.accounts['Staff learner']!.email }));
        expect(known.status).to.equal(422);
        expect(answerShape(known, s.t.accounts['Staff learner']!.email)).to.deep.equal(answerShape(fresh, 'no.seat@example.com'));
      } finally {
        await s.knex('sandbox_portal').where({ id: 1 }).update({ seat_limit: null });
      }
    });
  });

  describe('emailed links', () => {
    it('a GET never consumes; the link works once; reused or expired it fails; a sign-in changes the session id', async () => {
      const mark = await settled();
      const staff = s.t.accounts['Staff learner']!;
      await anon().post('/register').type('form').send(form({ email: staff.email })).expect(200);
      const path = await linkPath(staff.email, 'sign-in', mark);
      await anon().get(path).expect(200);
      await anon().get(path).expect(200);

      // A visitor who already has a session (signed in as someone else) uses the link.
      const client = s.t.accounts['Client learner']!;
      const agent = supertest.agent(s.t.sandbox.app);
      const oldCookie = sessionCookie(await agent.post('/login').type('form').send({ email: client.email, password: client.password }).expect(303));
      expect(oldCookie).to.be.a('string');
      const used = await agent.post(path).expect(303);
      const after = sessionCookie(used);
      expect(after, 'a new session cookie').to.be.a('string');
      expect(after).not.to.equal(oldCookie);
      // The old session id no longer signs anyone in.
      const replay = await anon().get('/').set('Cookie', `sandbox.sid=${oldCookie}`);
      expect(replay.status).to.equal(303);
      expect(replay.headers.location).to.match(/^\/login/);
      // The agent is now the link's account.
      expect((await agent.get('/').expect(200)).text).to.contain('Welcome, Sam');

      await anon().post(path).expect(410).expect(/already been used/);
    });

    it('an expired sign-in link (30 minutes) and an expired invitation (72 hours) fail, and stay unused', async () => {
      const mark = await settled();
      await anon().post('/register').type('form').send(form({ email: s.t.accounts['Standard admin']!.email })).expect(200);
      await anon().post('/register').type('form').send(form({ email: 'late.invitee@example.com' })).expect(200);
      const signIn = await linkPath(s.t.accounts['Standard admin']!.email, 'sign-in', mark);
      const invitation = await linkPath('late.invitee@example.com', 'invitation', mark);
      const start = Date.now();
      try {
        s.t.sandbox.clock.set(new Date(start + 30 * 60 * 1000 + 1000));
        await anon().get(signIn).expect(410).expect(/expired/);
        await anon().post(signIn).expect(410).expect(/expired/);
        await anon().get(invitation).expect(200);
        s.t.sandbox.clock.set(new Date(start + 72 * 60 * 60 * 1000 + 1000));
        await anon().post(invitation).type('form').send({ password: 'a-long-password-1', passwordConfirm: 'a-long-password-1' }).expect(410).expect(/expired/);
      } finally {
        s.t.sandbox.clock.set(null);
      }
      const ids = (await s.knex('sandbox_users').whereIn('email', [s.t.accounts['Standard admin']!.email, 'late.invitee@example.com']).pluck('id')).map(String);
      expect(await s.knex('selfreg_email_links').whereIn('user_id', ids).whereNotNull('used_at').pluck('id')).to.deep.equal([]);
      const user = await s.knex('sandbox_users').where({ email: 'late.invitee@example.com' }).first();
      expect(user.password_hash).to.equal(null);
    });

    it('Host and X-Forwarded-Host headers do not change the links in the mail', async () => {
      const mark = await settled();
      await anon().post('/register').type('form').set('Host', 'evil.example').set('X-Forwarded-Host', 'evil.example').send(form({ email: 'hosted@example.com' })).expect(200);
      await anon().post('/register').type('form').set('Host', 'evil.example').send(form({ email: s.t.accounts['Client learner']!.email })).expect(200);
      const mails = [await mailTo('hosted@example.com', mark), await mailTo(s.t.accounts['Client learner']!.email, mark)];
      for (const m of mails) {
        expect(m.raw).not.to.contain('evil.example');
        expect(linkIn(m.parsed.text!, '/self-registration/').startsWith('http://learn.acme.test/self-registration/')).to.equal(true);
      }
    });
  });
});
