/*
 * Every email template, rendered and sent through the pooled SMTP transport to a real server on
 * loopback, then parsed with mailparser: subject, both parts, links, branding, escaping, headers.
 */
import { expect } from 'chai';
import type { ParsedMail } from 'mailparser';
import { MailRenderer } from '../../../../src/adapters/mail/mail-renderer.js';
import { smtpSender, type MailSender } from '../../../../src/adapters/mail/mail-sender.js';
import { DEFAULT_BRANDING, type Branding } from '../../../../src/domain/branding/branding-settings.js';
import { type MailTemplate } from '../../../../src/domain/mail/outgoing-mail.js';
import type { PortalInfo } from '../../../../src/domain/shared/portal-info.js';
import { TestSmtp } from '../../../support/mail-support.js';

const PORTAL: PortalInfo = { name: 'Acme Academy', primaryAdminEmail: 'admin@acme.test', publicBaseUrl: 'https://learn.acme.test/portal', timeZone: 'Europe/London' };
const BRAND: Branding = { ...DEFAULT_BRANDING, primaryColour: '#0B3D2E', accentColour: '#FFCC00', logoUrl: 'https://cdn.acme.test/logo.png' };
const SCRIPT = '<script>alert(1)</script>';
const IMG = '"><img src=x onerror=alert(1)>';
const LINK = 'https://learn.acme.test/portal/self-registration/invitation/AbCdEfGhIjKlMnOpQrStUvWxYz0123456789_-abcde';

describe('adapters/mail: templates over real SMTP', function () {
  this.timeout(30_000);
  const smtp = new TestSmtp();
  const renderer = new MailRenderer();
  let sender: MailSender;
  let n = 0;

  before(async () => {
    await smtp.start();
    sender = smtpSender(smtp.url);
  });
  after(async () => {
    sender.close();
    await smtp.stop();
  });

  async function send(template: MailTemplate, data: Record<string, unknown>, opts: { portal?: PortalInfo; branding?: Branding | null; to?: string } = {}): Promise<{ mail: ParsedMail; raw: string }> {
    const portal = opts.portal ?? PORTAL;
    const rendered = await renderer.render(template, data, portal, opts.branding === undefined ? BRAND : opts.branding);
    const before = smtp.received.length;
    await sender.send({ from: 'training@acme.test', to: opts.to ?? 'someone@example.com', messageId: `<t${++n}@acme.test>`, portalName: portal.name }, rendered);
    await smtp.waitFor(before + 1);
    return { mail: await smtp.parsed(before), raw: smtp.received[before]!.raw };
  }

  const headerBlock = (raw: string) => raw.slice(0, raw.indexOf('\r\n\r\n'));

  describe('invitation and sign-in link', () => {
    it('the invitation: subject, From, both parts with the link, in the portal’s branding', async () => {
      const { mail } = await send('invitation', { firstName: 'Ada', itemTitle: 'Fire safety', itemType: 'topic', link: LINK });
      expect(mail.subject).to.equal('Your Acme Academy account: set your password');
      expect(mail.from?.value[0]).to.deep.include({ name: 'Acme Academy', address: 'training@acme.test' });
      expect(mail.messageId).to.equal(`<t${n}@acme.test>`);
      expect(mail.text).to.contain('Hello Ada,').and.to.contain(`\n${LINK}\n`).and.to.contain('topic "Fire safety"');
      expect(mail.text).not.to.contain('<');
      const html = String(mail.html);
      expect(html).to.contain(`href="${LINK}"`).and.to.contain('Set your password').and.to.contain('<strong>Fire safety</strong>');
      expect(html).to.contain('background:#0b3d2e;color:#ffffff').and.to.contain('background:#ffcc00');
      expect(html).to.contain('<img src="https://cdn.acme.test/logo.png" alt="Acme Academy"');
      expect(html).to.contain('https://learn.acme.test/portal</a>');
    });

    it('the sign-in link: its own subject and wording', async () => {
      const { mail } = await send('sign-in-link', { firstName: 'Bo', itemTitle: 'Onboarding', itemType: 'pathway', link: LINK.replace('invitation', 'sign-in') });
      expect(mail.subject).to.equal('Your sign-in link for Acme Academy');
      expect(mail.text).to.contain('pathway "Onboarding"').and.to.contain('/self-registration/sign-in/').and.to.contain('30 minutes');
      expect(String(mail.html)).to.contain('Sign in and start');
    });

    it('names and titles are escaped in the HTML part and plain in the text part', async () => {
      const { mail } = await send('invitation', { firstName: `${SCRIPT}${IMG}`, itemTitle: `Fire ${SCRIPT}`, itemType: 'topic', link: LINK });
      const html = String(mail.html);
      expect(html).not.to.contain('<script>').and.not.to.contain('<img src=x');
      expect(html).to.contain('Hello &lt;script&gt;alert(1)&lt;/script&gt;&#34;&gt;&lt;img src=x onerror=alert(1)&gt;,');
      expect(html.match(/<img\b/g)).to.have.length(1); // the logo only
      expect(mail.text).to.contain(`Hello ${SCRIPT}${IMG},`);
    });

    it('without a logo, or with a logo that is not an http(s) URL, the header shows the portal’s name', async () => {
      for (const logoUrl of [null, 'javascript:alert(1)', 'data:image/svg+xml;base64,PHN2Zz4=', '//cdn.acme.test/x.png']) {
        const { mail } = await send('invitation', { firstName: 'Ada', itemTitle: 'T', itemType: 'topic', link: LINK }, { branding: { ...BRAND, logoUrl } });
        const html = String(mail.html);
        expect(html, String(logoUrl)).not.to.contain('<img').and.not.to.contain('javascript:').and.not.to.contain('data:image');
        expect(html).to.contain('font-weight:bold;color:#ffffff">Acme Academy</span>');
      }
    });

    it('stored colours that are not #rrggbb fall back to the defaults; a light primary gets dark text', async () => {
      const bad = await send('invitation', { firstName: 'A', itemTitle: 'T', itemType: 'topic', link: LINK }, { branding: { ...BRAND, primaryColour: 'red;background:url(https://evil.example)', accentColour: 'x' } });
      expect(String(bad.mail.html)).to.contain('background:#1f5fbf;color:#ffffff').and.not.to.contain('evil.example');
      const light = await send('invitation', { firstName: 'A', itemTitle: 'T', itemType: 'topic', link: LINK }, { branding: { ...BRAND, primaryColour: '#ffe066' } });
      expect(String(light.mail.html)).to.contain('background:#ffe066;color:#1d2733');
    });
  });

  describe('admin notification', () => {
    const data = (over: Record<string, unknown> = {}) => ({
      itemTitle: 'Fire safety', itemType: 'topic', registrant: { firstName: 'Ada', lastName: 'Lovelace', email: 'ada@example.com' },
      newUser: true, tokenNickname: 'Newsletter <March>', at: '2026-07-01T09:05:00.000Z', reportUrl: '/admin/items/topic/4/settings', reportKind: 'report', ...over,
    });

    it('says who, which item, which token, when (portal time) and links to the report under the public base URL', async () => {
      const { mail, raw } = await send('admin-notification', data(), { to: 'admin@acme.test' });
      expect(mail.subject).to.equal('New registration for “Fire safety”');
      expect(mail.to && !Array.isArray(mail.to) ? mail.to.value[0]!.address : null).to.equal('admin@acme.test');
      const report = 'https://learn.acme.test/portal/admin/items/topic/4/settings';
      expect(mail.text).to.contain('Ada Lovelace registered for the topic "Fire safety"');
      expect(mail.text).to.contain('Email:    ada@example.com').and.to.contain('Account:  New user (a Prospect account was created)');
      expect(mail.text).to.contain('Token:    Newsletter <March>').and.to.contain('When:     1 July 2026, 10:05 BST');
      expect(mail.text).to.contain(`View the report: ${report}`);
      const html = String(mail.html);
      expect(html).to.contain(`href="${report}"`).and.to.contain('View the report').and.to.contain('Newsletter &lt;March&gt;');
      expect(html).to.contain('1 July 2026, 10:05 BST').and.to.contain('New user');
      expect(headerBlock(raw)).not.to.contain('Lovelace').and.not.to.contain('ada@example.com');
    });

    it('an existing user, no nickname, and a link to the item when the host has no report', async () => {
      const { mail } = await send('admin-notification', data({ newUser: false, tokenNickname: null, reportUrl: '/items/topic/4', reportKind: 'item' }));
      expect(mail.text).to.contain('Existing user (already had an account)').and.to.contain('Token:    No nickname');
      expect(mail.text).to.contain('Open the topic: https://learn.acme.test/portal/items/topic/4');
    });

    it('an address that mixes scripts in a word is marked for the admin; one script alone is not', async () => {
      const { mail } = await send('admin-notification', data({ registrant: { firstName: 'Ada', lastName: 'L', email: '\u0430dmin@acme.test' } }));
      expect(mail.text).to.contain('Email:    \u0430dmin@acme.test (mixed scripts: it may imitate another address)');
      expect(String(mail.html)).to.contain('mixed scripts: it may imitate another address');
      const plain = await send('admin-notification', data({ registrant: { firstName: 'Иван', lastName: 'П', email: 'иван@acme.test' } }));
      expect(plain.mail.text).not.to.contain('mixed scripts');
    });

    it('a link outside the public base URL is dropped, never sent', async () => {
      const { mail } = await send('admin-notification', data({ reportUrl: 'https://evil.example/phish' }));
      expect(mail.text).not.to.contain('evil.example').and.not.to.contain('View the report');
      expect(String(mail.html)).not.to.contain('evil.example');
    });

    it('hostile names are inert in the HTML part and never reach a header', async () => {
      const { mail, raw } = await send('admin-notification', data({ registrant: { firstName: SCRIPT, lastName: IMG, email: 'x@example.com' } }));
      const html = String(mail.html);
      expect(html).not.to.contain('<script>').and.not.to.contain('<img src=x');
      expect(html).to.contain('&lt;script&gt;alert(1)&lt;/script&gt; &#34;&gt;&lt;img src=x onerror=alert(1)&gt;');
      expect(mail.text).to.contain(`${SCRIPT} ${IMG} registered`);
      expect(headerBlock(raw)).not.to.contain('alert(1)');
    });

    it('line breaks in a title or the portal name cannot add headers', async () => {
      const { mail, raw } = await send(
        'admin-notification',
        data({ itemTitle: 'Fire\r\nBcc: victim@evil.example\r\n\r\nbody' }),
        { portal: { ...PORTAL, name: 'Acme\r\nBcc: other@evil.example' }, to: 'admin@acme.test' },
      );
      const headers = headerBlock(raw);
      expect(headers).not.to.match(/^Bcc:/im);
      expect(mail.subject).to.equal('New registration for “Fire Bcc: victim@evil.example body”');
      expect(mail.from?.value[0]?.name).to.equal('Acme Bcc: other@evil.example');
      expect(smtp.received[smtp.received.length - 1]!.to).to.deep.equal(['admin@acme.test']);
    });
  });

  describe('seat-limit alert', () => {
    it('is branded like the rest, says which item turned someone away, and escapes the title', async () => {
      const { mail } = await send('seat-limit-alert', {
        day: '2026-03-01', timeZone: 'Europe/London', at: '2026-03-01T10:00:00.000Z', itemTitle: `Fire ${SCRIPT}`, itemType: 'topic', itemTypeName: 'Topic',
      });
      expect(mail.subject).to.equal('Acme Academy: no seats left, registrations are being turned away');
      expect(mail.text).to.contain(`topic "Fire ${SCRIPT}" at Acme Academy`).and.to.contain('(this one for Sunday 1 March 2026, Europe/London time)');
      const html = String(mail.html);
      expect(html).to.contain('background:#0b3d2e;color:#ffffff').and.to.contain('<img src="https://cdn.acme.test/logo.png"');
      expect(html).to.contain('Fire &lt;script&gt;alert(1)&lt;/script&gt;').and.not.to.contain('<script>');
      expect(html).to.contain('href="https://learn.acme.test/portal/"');
    });
  });

  describe('admin daily digest', () => {
    const entries = [
      { firstName: 'Ada', lastName: 'Lovelace', email: 'ada@example.com', newUser: true, tokenNickname: 'Fair', at: '2026-03-01T09:00:00.000Z' },
      { firstName: SCRIPT, lastName: 'B', email: 'b@example.com', newUser: false, tokenNickname: null, at: '2026-03-01T23:30:00.000Z' },
    ];
    const data = (over: Record<string, unknown> = {}) => ({
      itemTitle: 'Fire safety', itemType: 'topic', day: '2026-03-01', timeZone: 'Europe/London', part: 1, entries, reportUrl: '/admin/items/topic/4/settings', reportKind: 'report', ...over,
    });

    it('lists the day’s registrations with local times, counts, and the report link', async () => {
      const { mail, raw } = await send('admin-digest', data());
      expect(mail.subject).to.equal('Daily digest: 2 registrations for “Fire safety” on Sunday 1 March 2026');
      expect(mail.text).to.contain('2 people registered for the topic "Fire safety"').and.to.contain('on Sunday 1 March 2026 (Europe/London time): 1 new user, 1 with an existing account.');
      expect(mail.text).to.contain('- 09:00  Ada Lovelace <ada@example.com>, new user, token: Fair');
      expect(mail.text).to.contain(`- 23:30  ${SCRIPT} B <b@example.com>, existing user, token: no nickname`);
      expect(mail.text).to.contain('View the report: https://learn.acme.test/portal/admin/items/topic/4/settings');
      const html = String(mail.html);
      expect(html).not.to.contain('<script>');
      expect(html).to.contain('&lt;script&gt;alert(1)&lt;/script&gt; B').and.to.contain('>09:00<').and.to.contain('>23:30<');
      expect(headerBlock(raw)).not.to.contain('Lovelace');
    });

    it('times follow the digest’s time zone; a later part says so; one registration reads as one', async () => {
      const { mail } = await send('admin-digest', data({ timeZone: 'America/New_York', part: 2, entries: [entries[0]] }));
      expect(mail.subject).to.equal('More registrations: 1 registration for “Fire safety” on Sunday 1 March 2026');
      expect(mail.text).to.contain('1 person registered').and.to.contain('- 04:00  Ada Lovelace').and.to.contain('arrived after that day\'s digest had been sent');
    });
  });
});
