import { expect } from 'chai';
import { emailBranding, emailImageUrl } from '../../../../src/domain/branding/email-branding.js';

const BASE = 'https://learn.example.org/portal';

describe('domain/email-branding: the logo of an email', () => {
  it('makes a site path absolute with the public base URL, keeping its path prefix', () => {
    expect(emailImageUrl('/images/logo.png', BASE)).to.equal('https://learn.example.org/portal/images/logo.png');
    expect(emailImageUrl('/images/logo.png', `${BASE}/`)).to.equal('https://learn.example.org/portal/images/logo.png');
    expect(emailImageUrl('/images/logo.png?v=2', 'http://localhost:3000')).to.equal('http://localhost:3000/images/logo.png?v=2');
    // A query or fragment on the base is not part of the prefix.
    expect(emailImageUrl('/logo.svg', 'https://learn.example.org/portal?x=1#top')).to.equal('https://learn.example.org/portal/logo.svg');
    expect(emailBranding({ logoUrl: '/images/logo.png' }, BASE).logoUrl).to.equal('https://learn.example.org/portal/images/logo.png');
  });

  it('keeps an absolute https URL as it is, whatever the base', () => {
    expect(emailImageUrl('https://cdn.acme.test/logo.png', BASE)).to.equal('https://cdn.acme.test/logo.png');
    expect(emailBranding({ logoUrl: 'https://cdn.acme.test/logo.png' }, BASE).logoUrl).to.equal('https://cdn.acme.test/logo.png');
  });

  it('still refuses javascript:, data:, protocol-relative and odd paths, and a path without a usable base', () => {
    for (const bad of [
      'javascript:alert(1)', 'JaVaScRiPt:alert(1)', 'data:image/png;base64,AAAA', '//evil.example/l.png', '/\\evil.example/l.png',
      '/a b.png', '/l.png" onerror="alert(1)', '/l.png<script>', 'images/logo.png',
    ]) {
      expect(emailImageUrl(bad, BASE), bad).to.equal(null);
      expect(emailBranding({ logoUrl: bad }, BASE).logoUrl, bad).to.equal(null);
    }
    expect(emailImageUrl('/images/logo.png', null)).to.equal(null);
    expect(emailImageUrl('/images/logo.png', 'javascript:alert(1)')).to.equal(null);
    expect(emailImageUrl('/images/logo.png', 'https://user:pw@learn.example.org')).to.equal(null);
    expect(emailBranding({ logoUrl: '/images/logo.png' }).logoUrl).to.equal(null);
  });
});
