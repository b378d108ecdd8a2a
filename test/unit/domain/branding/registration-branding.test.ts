import { expect } from 'chai';
import {
  brandingForDisplay, contrastRatio, paragraphs, requiresConsent, textColourOn, validateBranding,
} from '../../../../src/domain/branding/branding.js';
import { DEFAULT_BRANDING } from '../../../../src/domain/branding/branding-settings.js';

const valid = {
  logoUrl: 'https://cdn.example.com/logo.png',
  primaryColour: '#0B6E4F',
  accentColour: '#f2c14e',
  heading: '  Join   the academy ',
  introduction: 'Line one\r\nLine two   \n\n\n\nNext paragraph',
  termsUrl: 'https://example.com/terms',
  privacyUrl: 'http://example.com/privacy?x=1#top',
  successMessage: '',
};

describe('domain/branding', () => {
  describe('validateBranding', () => {
    it('cleans a valid submission: colours lower-cased, one-line text collapsed, line breaks normalised, blanks null', () => {
      expect(validateBranding(valid)).to.deep.equal({
        ok: true,
        value: {
          logoUrl: 'https://cdn.example.com/logo.png',
          primaryColour: '#0b6e4f',
          accentColour: '#f2c14e',
          heading: 'Join the academy',
          introduction: 'Line one\nLine two\n\nNext paragraph',
          termsUrl: 'https://example.com/terms',
          privacyUrl: 'http://example.com/privacy?x=1#top',
          successMessage: null,
        },
      });
    });

    it('accepts a logo from a path on the portal’s own site, never from another scheme or a protocol-relative URL', () => {
      expect(validateBranding({ ...valid, logoUrl: '/static/logo.svg' }).ok).to.equal(true);
      for (const logoUrl of ['http://cdn.example.com/logo.png', '//evil.example/logo.png', '/\\evil.example', 'javascript:alert(1)', 'data:image/svg+xml,<svg>', 'https://x.example/a b.png', 'https://x.example/"onerror="alert(1)', 'https:///nohost']) {
        expect(validateBranding({ ...valid, logoUrl }), logoUrl).to.deep.equal({ ok: false, error: { logoUrl: 'url' } });
      }
    });

    it('terms and privacy links must be http(s) addresses', () => {
      for (const bad of ['javascript:alert(1)', 'example.com/terms', '/terms', 'mailto:a@b.c', 'https://exa mple.com']) {
        expect(validateBranding({ ...valid, termsUrl: bad, privacyUrl: bad }), bad).to.deep.equal({ ok: false, error: { termsUrl: 'url', privacyUrl: 'url' } });
      }
    });

    it('colours must be #rrggbb, and the primary colour must keep white text readable (4.5:1)', () => {
      expect(validateBranding({ ...valid, primaryColour: 'red', accentColour: '#fff' })).to.deep.equal({ ok: false, error: { primaryColour: 'colour', accentColour: 'colour' } });
      expect(validateBranding({ ...valid, primaryColour: '#777777' })).to.deep.equal({ ok: false, error: { primaryColour: 'contrast' } });
      expect(validateBranding({ ...valid, primaryColour: '#767676' }).ok).to.equal(true);
      // The accent is decorative: any colour, even a light one.
      expect(validateBranding({ ...valid, accentColour: '#ffffff' }).ok).to.equal(true);
      expect(validateBranding({ ...valid, primaryColour: '' })).to.deep.equal({ ok: false, error: { primaryColour: 'colour' } });
    });

    it('refuses over-long text and control characters, naming every field at once', () => {
      const result = validateBranding({
        ...valid,
        heading: 'x'.repeat(121),
        introduction: `a\u0000b`,
        successMessage: 'y'.repeat(1001),
        logoUrl: `https://example.com/${'a'.repeat(2048)}`,
      });
      expect(result).to.deep.equal({ ok: false, error: { heading: 'length', introduction: 'characters', successMessage: 'length', logoUrl: 'length' } });
      expect(validateBranding({ ...valid, heading: 'bell\u0007' })).to.deep.equal({ ok: false, error: { heading: 'characters' } });
      // Line breaks in a one-line field become spaces.
      expect(validateBranding({ ...valid, heading: 'two\nlines' }).ok && 'ok').to.equal('ok');
      expect(validateBranding({ ...valid, heading: 'x'.repeat(120), introduction: 'i'.repeat(2000) }).ok).to.equal(true);
    });

    it('keeps markup as plain text (it is escaped where it is shown)', () => {
      const r = validateBranding({ ...valid, heading: '"><img src=x onerror=alert(1)>' });
      expect(r.ok && r.value.heading).to.equal('"><img src=x onerror=alert(1)>');
    });
  });

  describe('brandingForDisplay', () => {
    it('defaults when nothing is stored', () => {
      expect(brandingForDisplay(undefined)).to.deep.equal(DEFAULT_BRANDING);
      expect(brandingForDisplay('garbage')).to.deep.equal(DEFAULT_BRANDING);
    });

    it('falls back field by field for stored values that no longer pass the rules', () => {
      const shown = brandingForDisplay({ ...valid, primaryColour: 'red;background:url(//evil)', logoUrl: 'javascript:alert(1)', heading: 42, introduction: 'ok\ntext' });
      expect(shown).to.deep.equal({
        ...DEFAULT_BRANDING,
        accentColour: '#f2c14e',
        introduction: 'ok\ntext',
        termsUrl: 'https://example.com/terms',
        privacyUrl: 'http://example.com/privacy?x=1#top',
      });
    });
  });

  it('requiresConsent: only when terms or privacy is linked', () => {
    expect(requiresConsent(DEFAULT_BRANDING)).to.equal(false);
    expect(requiresConsent({ termsUrl: 'https://a.example/t', privacyUrl: null })).to.equal(true);
    expect(requiresConsent({ termsUrl: null, privacyUrl: 'https://a.example/p' })).to.equal(true);
  });

  it('paragraphs: blank lines split paragraphs, single line breaks stay', () => {
    expect(paragraphs('a\nb\n\nc\n  \n\nd')).to.deep.equal([['a', 'b'], ['c'], ['d']]);
    expect(paragraphs(null)).to.deep.equal([]);
  });

  it('contrast arithmetic follows WCAG', () => {
    expect(contrastRatio('#000000', '#ffffff')).to.equal(21);
    expect(contrastRatio('#ffffff', '#ffffff')).to.equal(1);
    expect(Number(contrastRatio('#1f5fbf', '#ffffff').toFixed(2))).to.equal(6.09);
    expect(textColourOn('#ffbf47')).to.equal('#000000');
    expect(textColourOn('#1f5fbf')).to.equal('#ffffff');
    // The default branding passes its own rule.
    expect(validateBranding({ ...DEFAULT_BRANDING }).ok).to.equal(true);
  });
});
