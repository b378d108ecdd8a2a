import { expect } from 'chai';
import { sameOriginPath } from '../../../../src/domain/shared/urls.js';
import { safeLocalPath } from '../../../../src/adapters/http/shared/validation.js';

describe('redirect targets stay on this origin after normalisation', () => {
  it('keeps ordinary paths, with their query and fragment, normalised', () => {
    expect(sameOriginPath('/admin/items/topic/3/settings#self-registration')).to.equal('/admin/items/topic/3/settings#self-registration');
    expect(sameOriginPath('/admin/self-registration/tokens?q=o%27brien&page=2')).to.equal('/admin/self-registration/tokens?q=o%27brien&page=2');
    expect(sameOriginPath('/a/./b/../c')).to.equal('/a/c');
  });

  for (const hostile of [
    '//evil.example',
    '/\\evil.example',
    '\\\\evil.example',
    '/./\\evil.example',
    '/../..//evil.example',
    '/.//evil.example/x',
    '/%2e%2e//evil.example',
    '/%2E%2E/%2e%2e//evil.example',
    '/a/..//evil.example',
    '/\t/evil.example',
    '/\n/evil.example',
    '/%2f/evil.example',
    '/%5c/evil.example',
    'https://evil.example/',
    'javascript:alert(1)',
    'evil.example',
    '',
    '/x\u0000y',
    `/${'a'.repeat(2001)}`,
  ]) {
    it(`refuses ${JSON.stringify(hostile).slice(0, 40)}`, () => {
      expect(sameOriginPath(hostile)).to.equal(null);
      expect(safeLocalPath(hostile, '/fallback')).to.equal('/fallback');
    });
  }

  it('refuses what is not a string', () => {
    expect(sameOriginPath(undefined)).to.equal(null);
    expect(sameOriginPath(['/a'])).to.equal(null);
  });
});
