import { expect } from 'chai';
import { emailBranding, safeImageUrl, textOn } from '../../../../src/domain/branding/email-branding.js';

describe('domain/email-branding: what emails take from the branding', () => {
  it('keeps valid #rrggbb colours and picks readable text on the primary colour', () => {
    expect(emailBranding({ primaryColour: '#0B3D2E', accentColour: '#ffcc00', logoUrl: 'https://cdn.acme.test/logo.png' })).to.deep.equal({
      primary: '#0b3d2e', onPrimary: '#ffffff', accent: '#ffcc00', logoUrl: 'https://cdn.acme.test/logo.png',
    });
    expect(textOn('#ffe066')).to.equal('#1d2733');
    expect(textOn('#1f5fbf')).to.equal('#ffffff');
  });

  it('falls back to the default colours for anything else, and without branding', () => {
    const fallback = { primary: '#1f5fbf', onPrimary: '#ffffff', accent: '#ffbf47', logoUrl: null };
    expect(emailBranding({ primaryColour: 'red;background:url(x)', accentColour: '#fff', logoUrl: null })).to.deep.equal(fallback);
    expect(emailBranding(null)).to.deep.equal(fallback);
  });

  it('shows a logo only from an absolute http(s) URL', () => {
    expect(safeImageUrl('http://acme.test:8080/l.png?v=2')).to.equal('http://acme.test:8080/l.png?v=2');
    for (const bad of [
      'javascript:alert(1)', 'JaVaScRiPt:alert(1)', 'data:image/png;base64,AAAA', '//cdn.acme.test/l.png', '/logo.png', 'ftp://acme.test/l.png',
      'https://user:pw@acme.test/l.png', 'https://acme.test/l.png" onerror="alert(1)', 'https://acme.test/a b.png', `https://acme.test/${'a'.repeat(2000)}`, 42,
    ]) {
      expect(safeImageUrl(bad), String(bad)).to.equal(null);
    }
  });
});
