import { expect } from 'chai';
import { API_KEY_HINT_LENGTH, bearerKey, generateApiKey, looksLikeApiKey, validateApiKeyName } from '../../../../src/domain/api-keys/api-key.js';

const KEY = `srk_${'A'.repeat(43)}`;

describe('domain/api-key', () => {
  it('generates srk_ + 32 random bytes (43 base64url characters) and a short hint', () => {
    const calls: number[] = [];
    const { key, hint } = generateApiKey({ int: () => 0, secret: (n) => (calls.push(n), 'x'.repeat(43)) });
    expect(calls).to.deep.equal([32]);
    expect(key).to.equal(`srk_${'x'.repeat(43)}`);
    expect(hint).to.equal('srk_xxxxxx');
    expect(hint).to.have.length(API_KEY_HINT_LENGTH);
    expect(looksLikeApiKey(key)).to.equal(true);
  });

  it('reads a bearer credential, case-insensitively on the scheme', () => {
    expect(bearerKey(`Bearer ${KEY}`)).to.equal(KEY);
    expect(bearerKey(`bearer ${KEY}`)).to.equal(KEY);
    expect(bearerKey(`Bearer   ${KEY}  `)).to.equal(KEY);
    expect(bearerKey(undefined)).to.equal(null);
    expect(bearerKey('')).to.equal(null);
    expect(bearerKey(`Basic ${KEY}`)).to.equal(null);
    expect(bearerKey('Bearer')).to.equal(null);
    expect(bearerKey(`Bearer ${'a'.repeat(300)}`)).to.equal(null);
  });

  it('recognises only well-formed keys', () => {
    expect(looksLikeApiKey(KEY)).to.equal(true);
    expect(looksLikeApiKey(KEY.slice(0, -1))).to.equal(false);
    expect(looksLikeApiKey(`xyz_${'A'.repeat(43)}`)).to.equal(false);
    expect(looksLikeApiKey(`srk_${'A'.repeat(42)}!`)).to.equal(false);
  });

  it('names: 1–100 characters, spaces tidied, no control characters', () => {
    expect(validateApiKeyName('  CRM   sync ')).to.deep.equal({ ok: true, value: 'CRM sync' });
    for (const bad of ['', '   ', 'x'.repeat(101), 'bad\u0000name']) {
      const r = validateApiKeyName(bad);
      expect(!r.ok && r.error.code, JSON.stringify(bad)).to.equal('APIKEY.NAME_INVALID');
    }
  });
});
