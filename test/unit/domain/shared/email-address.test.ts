import { expect } from 'chai';
import { emailAddressProblem, isMixedScript } from '../../../../src/domain/shared/email-address.js';

describe('email addresses: a sane shape, nothing invisible, mixed scripts flagged', () => {
  it('accepts ordinary addresses, internationalised ones included', () => {
    for (const ok of ['ada@example.com', 'a.b+tag@sub.example.co.uk', 'иван@пример.рф', 'jürgen@müller.de']) expect(emailAddressProblem(ok), ok).to.equal(null);
  });

  const invisible: [string, string][] = [
    ['U+0001', 'a\u0001b@example.com'], ['DEL', 'ab\u007f@example.com'], ['U+0085 (NEL)', 'ab\u0085@example.com'],
    ['zero-width space', 'ad\u200bmin@example.com'], ['zero-width joiner', 'ad\u200dmin@example.com'], ['BOM inside', 'ad\ufeffmin@example.com'],
    ['soft hyphen', 'ad\u00admin@example.com'], ['right-to-left override', 'ad\u202emin@example.com'], ['word joiner', 'ad\u2060min@example.com'],
    ['combining grapheme joiner', 'ad\u034fmin@example.com'], ['variation selector', 'ad\ufe0fmin@example.com'], ['Hangul filler', 'ad\u3164min@example.com'],
    ['line separator', 'ad\u2028min@example.com'], ['private use', 'ad\ue000min@example.com'],
  ];
  for (const [name, value] of invisible) {
    it(`refuses an address holding a ${name}`, () => expect(emailAddressProblem(value)).to.equal('invisible'));
  }

  it('refuses a bad shape', () => {
    for (const bad of ['not-an-email', 'a@b', 'a b@example.com', '<a>@example.com', `${'a'.repeat(250)}@example.com`]) expect(emailAddressProblem(bad), bad).to.equal('invalid');
  });

  it('flags a word that mixes scripts, not an address written in one script per word', () => {
    expect(isMixedScript('\u0430dmin@acme.test')).to.equal(true); // a Cyrillic а
    expect(isMixedScript('admin@\u0430cme.test')).to.equal(true);
    expect(isMixedScript('p\u0391ypal@example.com')).to.equal(true); // a Greek Alpha
    expect(isMixedScript('admin@acme.test')).to.equal(false);
    expect(isMixedScript('иван@acme.test')).to.equal(false);
    expect(isMixedScript('ivan.иван@acme.test')).to.equal(false);
    expect(isMixedScript('山田たろう@example.jp')).to.equal(false);
  });
});
