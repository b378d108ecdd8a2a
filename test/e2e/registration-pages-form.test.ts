/*
 * The public registration pages over HTTP as anyone sees them, against the sandbox host with the
 * real plugin and mail delivered to a real SMTP server on loopback: branding and consent, token
 * states and the portal switch. Signed-in visitors and one-click enrolment are in
 * registration-pages-signed-in, seats running out in registration-pages-seats.
 */
import { expect } from 'chai';
import { TYPES } from '../../src/types.js';
import { PUBLIC_CSP } from '../../src/adapters/http/public/public-page-headers.js';
import type { SettingsRepository } from '../../src/domain/ports/settings-repository.port.js';
import type { HostUser } from '../../src/domain/shared/user.js';
import { SmtpCapture } from '../support/smtp.js';
import { count, type RegistrationSandbox } from './registration-helpers.js';
import { pagesRequests, startPagesSandbox } from './registration-pages.helpers.js';

describe('e2e: the public registration pages', function () {
  this.timeout(60_000);
  let s: RegistrationSandbox;
  const smtp = new SmtpCapture();
  let code: string;
  let admin: HostUser;
  const { anon, form, branding } = pagesRequests(() => s, () => code);

  before(async () => {
    ({ s, code, admin } = await startPagesSandbox(smtp));
  });
  after(async () => {
    await s?.close();
    await smtp.stop();
  });

  describe('the form', () => {
    it('is branded by default, uncached, framed by a strict CSP, and sets no cookie', async () => {
      const res = await anon().get('/register').expect(200);
      expect(res.headers['content-security-policy']).to.equal(PUBLIC_CSP);
      expect(PUBLIC_CSP).to.contain("default-src 'none'").and.to.contain("frame-ancestors 'none'").and.not.to.contain('script-src');
      expect(res.headers['cache-control']).to.equal('no-store');
      expect(res.headers['set-cookie']).to.equal(undefined);
      expect(res.text).to.contain('<h1>Register for training</h1>');
      expect(res.text).to.contain('style="--selfreg-primary:#1f5fbf;--selfreg-accent:#ffbf47;--selfreg-on-accent:#000000"');
      expect(res.text).not.to.contain('name="consent"');
      expect(res.text).not.to.contain('<script');
      expect(res.text).to.contain('href="/login?returnTo=%2Fregister"');
    });

    it('shows the organisation’s logo, colours, heading, introduction with its line breaks, and asks for consent once terms are linked', async () => {
      const saved = await branding().update(admin, {
        logoUrl: 'https://cdn.example.com/logo.png', primaryColour: '#0b6e4f', accentColour: '#f2c14e',
        heading: 'Welcome to <Acme> & friends', introduction: 'One\nTwo\n\nThree', termsUrl: 'https://acme.example/terms', privacyUrl: null, successMessage: 'Thanks!\nSee you soon.',
      });
      expect(saved.ok).to.equal(true);
      const res = await anon().get(`/register/${code}`).expect(200);
      expect(res.text).to.contain('<img class="selfreg-logo" src="https://cdn.example.com/logo.png" alt="Acme Learning">');
      expect(res.text).to.contain('--selfreg-primary:#0b6e4f;--selfreg-accent:#f2c14e');
      expect(res.text).to.contain('<h1>Welcome to &lt;Acme&gt; &amp; friends</h1>');
      expect(res.text).to.contain('<p>One<br>Two</p>').and.to.contain('<p>Three</p>');
      expect(res.text).to.contain('name="consent" type="checkbox" value="yes" required');
      expect(res.text).to.contain('<label for="consent">I agree to the terms of use</label>');
      expect(res.text).to.contain('href="https://acme.example/terms" target="_blank" rel="noopener noreferrer"');
      expect(res.text).not.to.contain('privacy notice</a>');
    });

    it('without the consent box ticked: a clear error, the typed values kept, nothing written', async () => {
      const users = await count(s.knex, 'sandbox_users');
      const res = await anon().post('/register').type('form').send(form({ email: 'noconsent@example.com' })).expect(422);
      expect(res.text).to.contain('<a href="#consent">Tick the box to confirm you agree before you register.</a>');
      expect(res.text).to.contain('value="noconsent@example.com"');
      expect(res.text).to.contain('aria-describedby="consent-error"');
      expect(await count(s.knex, 'sandbox_users')).to.equal(users);
      expect(await count(s.knex, 'selfreg_outbox', { recipient: 'noconsent@example.com' })).to.equal(0);
    });

    it('with consent: registered, and the organisation’s message shown instead of the default', async () => {
      const res = await anon().post('/register').type('form').send(form({ email: 'consent@example.com', consent: 'yes' })).expect(200);
      expect(res.text).to.contain('<p>Thanks!<br>See you soon.</p>');
      expect(res.text).not.to.contain('we’ve sent you an email with a link');
      expect(await count(s.knex, 'sandbox_users', { email: 'consent@example.com', type: 'prospect' })).to.equal(1);
      // Evidence of consent: when, and the links the form showed.
      const userId = String((await s.knex('sandbox_users').where({ email: 'consent@example.com' }).first()).id);
      const reg = await s.knex('selfreg_registrations').where({ user_id: userId }).first();
      expect(reg.consented_at).to.be.instanceOf(Date);
      expect(new Date(reg.consented_at).toISOString()).to.equal(new Date(reg.created_at).toISOString());
      expect({ terms: reg.consent_terms_url, privacy: reg.consent_privacy_url }).to.deep.equal({ terms: 'https://acme.example/terms', privacy: null });
      await branding().update(admin, { primaryColour: '#1f5fbf', accentColour: '#ffbf47' });
    });
  });

  describe('token states and the portal switch', () => {
    it('disabled, expired, used up and unknown: each its own message, on the deep link and on posting', async () => {
      const cases = [
        [await s.token(s.items.pathway.ref, { enabled: false }), 'This token is currently disabled.'],
        [await s.token(s.items.pathway.ref, { expiresAt: new Date(Date.now() - 1000) }), 'This token has expired.'],
        [await s.token(s.items.pathway.ref, { maxUses: 1, uses: 1 }), 'This token has reached its limit of registrations.'],
        [{ code: 'ZZZZ-ZZZZ-ZZZZ' }, 'We don’t recognise that token.'],
      ] as const;
      for (const [token, text] of cases) {
        const page = await anon().get(`/register/${token.code}`).expect(200);
        expect(page.text, token.code).to.contain(text);
        const posted = await anon().post('/register').type('form').send(form({ email: 'states@example.com', token: token.code! })).expect(422);
        expect(posted.text, token.code).to.contain(text);
      }
      expect(await count(s.knex, 'sandbox_users', { email: 'states@example.com' })).to.equal(0);
    });

    it('switched off for the portal: registration unavailable, on every page', async () => {
      const settings = s.plugin.container.get<SettingsRepository>(TYPES.SettingsRepository);
      await settings.setPortalEnabled(false);
      try {
        for (const path of ['/register', `/register/${code}`]) {
          const res = await anon().get(path).expect(200);
          expect(res.text, path).to.contain('<h1>Registration is unavailable</h1>').and.not.to.contain('<form');
        }
        const posted = await anon().post('/register').type('form').send(form({ email: 'off@example.com' })).expect(422);
        expect(posted.text).to.contain('Registration is unavailable');
        expect(await count(s.knex, 'sandbox_users', { email: 'off@example.com' })).to.equal(0);
      } finally {
        await settings.setPortalEnabled(true);
      }
      await anon().get(`/register/${code}`).expect(200).expect(/name="firstName"/);
    });
  });
});
