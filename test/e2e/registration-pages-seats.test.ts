/*
 * The public registration pages when the portal's seats run out, against the sandbox host with the
 * real plugin and mail delivered to a real SMTP server on loopback: everyone is told registration is
 * unavailable, and Super admins get one alert a day. A suite of its own, so the mail it counts is
 * only its own.
 */
import { expect } from 'chai';
import { SmtpCapture } from '../support/smtp.js';
import { count, type RegistrationSandbox } from './registration-helpers.js';
import { pagesRequests, startPagesSandbox } from './registration-pages.helpers.js';

describe('e2e: the public registration pages', function () {
  this.timeout(60_000);
  let s: RegistrationSandbox;
  const smtp = new SmtpCapture();
  let code: string;
  const { anon, form } = pagesRequests(() => s, () => code);

  before(async () => {
    ({ s, code } = await startPagesSandbox(smtp));
  });
  after(async () => {
    await s?.close();
    await smtp.stop();
  });

  describe('seats', () => {
    it('none left: everyone is told no new accounts can be made and whom to contact, and that an existing account’s link is on its way; Super admins get one alert a day', async () => {
      // A second Super admin: the alert goes to both.
      await s.knex('sandbox_users').insert({ email: 'second.boss@example.com', first_name: 'Second', last_name: 'Boss', type: 'staff', role: 'super_admin', status: 'active', created_at: new Date() });
      const used = await count(s.knex, 'sandbox_users');
      await s.knex('sandbox_portal').where({ id: 1 }).update({ seat_limit: used });
      smtp.messages.length = 0;
      try {
        const fresh = await anon().post('/register').type('form').send(form({ email: 'seatless@example.com' })).expect(422);
        // True for both: no new accounts, and an existing account's link is on its way.
        expect(fresh.text).to.contain('No new accounts right now').and.to.contain('can’t create new accounts').and.to.contain('we’ve emailed you a link to sign in').and.to.contain(`mailto:${s.t.config.adminEmail}`);
        expect(await count(s.knex, 'sandbox_users')).to.equal(used);
        expect(await count(s.knex, 'selfreg_tokens', { uses: 0 })).to.be.greaterThan(0);
        // A known email gets the same page, and its sign-in link all the same (existing users take no seat).
        const editor = s.t.accounts['Standard admin']!;
        const known = await anon().post('/register').type('form').send(form({ email: editor.email, firstName: 'Nobody' })).expect(422);
        const again = await anon().post('/register').type('form').send(form({ email: 'seatless2@example.com', firstName: 'Nobody' })).expect(422);
        expect(known.text).to.equal(again.text);

        const mails = await smtp.waitFor(3);
        const alerts = mails.filter((m) => /no seats left/.test(String(m.parsed.subject)));
        expect(alerts.map((m) => m.envelopeTo[0]).sort()).to.deep.equal([s.t.config.adminEmail.toLowerCase(), 'second.boss@example.com']);
        expect(alerts[0]!.parsed.text).to.contain(s.items.topic.title).and.to.contain('at most once a day');
        expect(mails.filter((m) => m.envelopeTo[0] === editor.email.toLowerCase()).map((m) => m.parsed.subject)).to.deep.equal(['Your sign-in link for Acme Learning']);
        // One alert a day, whatever happens next.
        expect(await count(s.knex, 'selfreg_seat_alerts')).to.equal(1);
        expect(await count(s.knex, 'selfreg_outbox', { template: 'seat-limit-alert' })).to.equal(2);
      } finally {
        await s.knex('sandbox_portal').where({ id: 1 }).update({ seat_limit: null });
      }
    });
  });
});
