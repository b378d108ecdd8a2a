/* The mail renderer puts a site-path logo under the portal's configured public base URL. */
import { expect } from 'chai';
import { MailRenderer } from '../../../../src/adapters/mail/mail-renderer.js';
import { DEFAULT_BRANDING, type Branding } from '../../../../src/domain/branding/branding-settings.js';
import type { PortalInfo } from '../../../../src/domain/shared/portal-info.js';

const PORTAL: PortalInfo = { name: 'Acme Academy', primaryAdminEmail: 'admin@acme.test', publicBaseUrl: 'https://learn.example.org/portal', timeZone: 'Europe/London' };
const DATA = { firstName: 'Ada', itemTitle: 'Fire safety', itemType: 'topic', link: 'https://learn.example.org/portal/self-registration/invitation/x', expiresAt: '2026-03-04T10:00:00.000Z' };

describe('adapters/mail: a logo given as a path on the portal’s site', () => {
  const renderer = new MailRenderer();

  it('is shown from the public base URL, path prefix kept; the same branding under another base follows it', async () => {
    const branding: Branding = { ...DEFAULT_BRANDING, logoUrl: '/images/logo.png' };
    const first = await renderer.render('invitation', DATA, PORTAL, branding);
    expect(first.html).to.contain('<img src="https://learn.example.org/portal/images/logo.png" alt="Acme Academy"');
    const moved = await renderer.render('invitation', DATA, { ...PORTAL, publicBaseUrl: 'https://academy.example.net' }, branding);
    expect(moved.html).to.contain('<img src="https://academy.example.net/images/logo.png"');
  });

  it('an unusable logo falls back to the portal’s name', async () => {
    const rendered = await renderer.render('invitation', DATA, PORTAL, { ...DEFAULT_BRANDING, logoUrl: 'javascript:alert(1)' });
    expect(rendered.html).not.to.contain('<img').and.not.to.contain('javascript:');
    expect(rendered.html).to.contain('Acme Academy</span>');
  });
});
