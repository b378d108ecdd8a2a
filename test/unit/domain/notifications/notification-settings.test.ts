import { expect } from 'chai';
import {
  decideNotificationSettings, isLocalLink, MAX_STAKEHOLDERS, notificationRecipients, parseStakeholders, publicLink,
} from '../../../../src/domain/notifications/notification-settings.js';

describe('domain/notifications: recipients', () => {
  describe('parseStakeholders', () => {
    it('reads addresses separated by commas, semicolons and line breaks, lower-cased and de-duplicated, in the order typed', () => {
      const parsed = parseStakeholders(' Bea@Acme.test, carl@acme.test;\n\nbea@acme.test\r\ndee@example.org ,, ');
      expect(parsed).to.deep.equal({ ok: true, value: ['bea@acme.test', 'carl@acme.test', 'dee@example.org'] });
    });

    it('accepts “Name <address>” as pasted from a mail client', () => {
      expect(parseStakeholders('Bea Jones <bea@acme.test>; "Carl" <CARL@acme.test>')).to.deep.equal({ ok: true, value: ['bea@acme.test', 'carl@acme.test'] });
    });

    it('an empty field is an empty list', () => {
      expect(parseStakeholders('  \n ')).to.deep.equal({ ok: true, value: [] });
    });

    it('names every entry that is not an address, once each, as typed', () => {
      const parsed = parseStakeholders('ok@acme.test, bob@, not an email, "><img src=x onerror=alert(1)>@x.y, bob@, a@b');
      expect(parsed).to.deep.equal({
        ok: false,
        error: { code: 'NOTIFICATION.RECIPIENT_INVALID', invalid: ['bob@', 'not an email', '"><img src=x onerror=alert(1)>@x.y', 'a@b'] },
      });
    });

    it(`refuses more than ${MAX_STAKEHOLDERS} distinct addresses, counting duplicates once`, () => {
      const twenty = Array.from({ length: 20 }, (_, i) => `p${i}@acme.test`);
      expect(parseStakeholders([...twenty, 'P0@acme.test'].join('\n')).ok).to.equal(true);
      expect(parseStakeholders([...twenty, 'p20@acme.test'].join(','))).to.deep.equal({
        ok: false, error: { code: 'NOTIFICATION.TOO_MANY_RECIPIENTS', count: 21, max: 20 },
      });
    });

    it('refuses an address longer than 254 characters and control characters', () => {
      const long = `${'a'.repeat(250)}@acme.test`;
      const parsed = parseStakeholders(`${long}\nx\u0007y@acme.test`);
      expect(parsed.ok).to.equal(false);
      if (!parsed.ok && parsed.error.code === 'NOTIFICATION.RECIPIENT_INVALID') expect(parsed.error.invalid).to.deep.equal([long, 'x\u0007y@acme.test']);
    });

    it('refuses a pasted address book beyond the input limit without splitting it', () => {
      const parsed = parseStakeholders('x@acme.test,'.repeat(600));
      expect(parsed.ok).to.equal(false);
      if (!parsed.ok) expect(parsed.error.code).to.equal('NOTIFICATION.TOO_MANY_RECIPIENTS');
    });
  });

  describe('notificationRecipients', () => {
    const on = { enabled: true, mode: 'each' as const, stakeholders: ['bea@acme.test', 'admin@acme.test', 'carl@acme.test'] };

    it('the primary admin first, always, then each stakeholder once', () => {
      expect(notificationRecipients(on, 'Admin@Acme.test')).to.deep.equal(['Admin@Acme.test', 'bea@acme.test', 'carl@acme.test']);
    });

    it('nobody while notifications are off', () => {
      expect(notificationRecipients({ ...on, enabled: false }, 'admin@acme.test')).to.deep.equal([]);
    });

    it('without a usable primary admin address, the stakeholders only', () => {
      expect(notificationRecipients(on, null)).to.deep.equal(['bea@acme.test', 'admin@acme.test', 'carl@acme.test']);
      expect(notificationRecipients(on, 'not-an-address')).to.deep.equal(['bea@acme.test', 'admin@acme.test', 'carl@acme.test']);
    });
  });

  describe('decideNotificationSettings', () => {
    it('accepts a whole, valid form', () => {
      expect(decideNotificationSettings({ enabled: true, mode: 'digest', stakeholders: 'B@acme.test' })).to.deep.equal({
        ok: true, value: { enabled: true, mode: 'digest', stakeholders: ['b@acme.test'] },
      });
    });

    it('refuses an unknown mode, and bad recipients even when switching off', () => {
      expect(decideNotificationSettings({ enabled: true, mode: 'hourly', stakeholders: '' })).to.deep.equal({ ok: false, error: { code: 'NOTIFICATION.MODE_INVALID' } });
      expect(decideNotificationSettings({ enabled: false, mode: 'each', stakeholders: 'nope' }).ok).to.equal(false);
    });
  });

  describe('links in notifications', () => {
    const base = 'https://learn.acme.test/portal';

    it('puts a same-origin path under the public base URL', () => {
      expect(publicLink(base, '/admin/items/topic/4/settings')).to.equal('https://learn.acme.test/portal/admin/items/topic/4/settings');
      expect(publicLink(`${base}/`, '/items/topic/4')).to.equal('https://learn.acme.test/portal/items/topic/4');
    });

    it('keeps an absolute URL only under the public base URL', () => {
      expect(publicLink(base, 'https://learn.acme.test/portal/reports/1')).to.equal('https://learn.acme.test/portal/reports/1');
      expect(publicLink(base, 'https://learn.acme.test/portalx/reports/1')).to.equal(null);
      expect(publicLink(base, 'https://evil.example/portal/reports/1')).to.equal(null);
    });

    it('never links to javascript:, data:, protocol-relative or odd paths', () => {
      for (const bad of ['javascript:alert(1)', 'data:text/html,<b>', '//evil.example/x', '/a b', '/a"onmouseover=x', '', null, 42]) {
        expect(isLocalLink(bad), String(bad)).to.equal(false);
        expect(publicLink(base, bad)).to.equal(null);
      }
    });
  });
});
