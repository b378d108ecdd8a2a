/*
 * The registration side of security.md’s test list, part two: markup in names, titles and branding
 * text is inert in pages, emails and panels. Real SMTP on loopback and the sandbox host.
 */
import { expect } from 'chai';
import { TYPES } from '../../src/types.js';
import type { SaveBranding } from '../../src/application/branding/save-branding.use-case.js';
import { SmtpCapture } from '../support/smtp.js';
import { signedInAgent } from '../support/sign-in.js';

import type { RegistrationSandbox } from './registration-helpers.js';
import { securityRequests, startSecuritySandbox, XSS, XSS_ESCAPED } from './security-registration.helpers.js';

describe('security: the registration side of security.md’s test list', function () {
  this.timeout(90_000);
  let s: RegistrationSandbox;
  const smtp = new SmtpCapture();
  let code: string;
  const { anon, form, settled, mailTo } = securityRequests(() => s, () => code, smtp);

  before(async () => {
    ({ s, code } = await startSecuritySandbox(smtp));
  });
  after(async () => {
    await s?.close();
    await smtp.stop();
  });

  describe(`markup in names and titles is inert: <script> and ${XSS}`, () => {
    it('in pages: a refused form echoes it escaped; item titles and account names print escaped', async () => {
      const res = await anon().post('/register').type('form').send(form({ firstName: XSS, lastName: '<script>alert(1)</script>', email: 'x@example.com' })).expect(422);
      expect(res.text).not.to.contain('<img src=x').and.not.to.contain('<script>alert');
      expect(res.text).to.contain(`value="${XSS_ESCAPED}"`);

      await s.knex('sandbox_items').where({ id: Number(s.items.pathway.id), type: 'pathway' }).update({ title: `Path ${XSS}<script>alert(2)</script>` });
      const pathway = (await s.token(s.items.pathway.ref)).code!;
      const page = await anon().get(`/register/${pathway}`).expect(200);
      expect(page.text).not.to.contain('<img src=x').and.not.to.contain('<script>alert(2)');
      expect(page.text).to.contain(`Path ${XSS_ESCAPED}&lt;script&gt;alert(2)&lt;/script&gt;`);
    });

    it('in emails: a host account named with markup, and an item titled with it, are escaped in the HTML part', async () => {
      const mark = await settled();
      const client = s.t.accounts['Client learner']!;
      await s.knex('sandbox_users').where({ email: client.email }).update({ first_name: XSS });
      const pathway = (await s.token(s.items.pathway.ref)).code!;
      await anon().post('/register').type('form').send(form({ email: client.email, token: pathway })).expect(200);
      await anon().post('/register').type('form').send(form({ email: 'html.mail@example.com', token: pathway })).expect(200);
      const mails = [await mailTo(client.email, mark), await mailTo('html.mail@example.com', mark)];
      for (const m of mails) {
        expect(String(m.parsed.html)).not.to.contain('<img src=x').and.not.to.contain('<script>alert');
        expect(String(m.parsed.subject)).not.to.contain('<img');
      }
      const signIn = mails[0]!;
      expect(String(signIn.parsed.html)).to.match(/Hello (&#34;|&quot;)&gt;&lt;img src=x onerror=alert\(1\)&gt;/);
      await s.knex('sandbox_users').where({ email: client.email }).update({ first_name: 'Chris' });
    });

    it('in panels: the Registration page panel and the public page print branding text escaped', async () => {
      const adminAccount = s.t.accounts['Super admin']!;
      const admin = (await s.t.sandbox.host.users.findByEmail(adminAccount.email))!;
      const saved = await s.plugin.container.get<SaveBranding>(TYPES.SaveBranding).execute(admin, {
        primaryColour: '#1f5fbf', accentColour: '#ffbf47', heading: XSS, introduction: `<script>alert(3)</script>\n${XSS}`, successMessage: XSS,
      });
      expect(saved.ok).to.equal(true);
      const agent = await signedInAgent(s.t, adminAccount.email, adminAccount.password);
      const panel = await agent.get('/admin/portal').expect(200);
      const publicPage = await anon().get('/register').expect(200);
      for (const html of [panel.text, publicPage.text]) {
        expect(html).not.to.contain('<img src=x').and.not.to.contain('<script>alert(3)');
        expect(html).to.contain(XSS_ESCAPED);
      }
      // The panel's only scripts are files, never inline code with data in it.
      expect(panel.text.match(/<script[^>]*>/g)?.filter((tag) => !/ src="\/self-registration\/assets\/[a-z-]+\.js"/.test(tag)) ?? []).to.deep.equal([]);
      await s.plugin.container.get<SaveBranding>(TYPES.SaveBranding).execute(admin, { primaryColour: '#1f5fbf', accentColour: '#ffbf47' });
    });
  });
});
