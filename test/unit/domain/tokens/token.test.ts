import { expect } from 'chai';
import { errorMessage } from '../../../../src/adapters/http/shared/messages.js';
import * as m from '../../../../src/domain/tokens/token.js';
import { checkUsable, NICKNAME_MAX_LENGTH, TOKEN_STATUSES, tokenStatus, validateNickname, type Token } from '../../../../src/domain/tokens/token.js';

type TokenState = Pick<Token, 'enabled' | 'expiresAt' | 'maxUses' | 'uses'>;

const NOW = new Date('2026-03-01T10:00:00.000Z');
const at = (offsetMs: number) => new Date(NOW.getTime() + offsetMs);
const active: TokenState = { enabled: true, expiresAt: null, maxUses: null, uses: 0 };

describe('domain/token', () => {
  it('knows exactly four statuses', () => {
    expect(TOKEN_STATUSES).to.deep.equal(['active', 'disabled', 'expired', 'used_up']);
  });

  describe('tokenStatus', () => {
    it('is active when enabled, without expiry and without a use limit', () => {
      expect(tokenStatus(active, NOW)).to.equal('active');
    });

    it('treats maxUses null as unlimited, however many uses', () => {
      expect(tokenStatus({ ...active, uses: 1_000_000 }, NOW)).to.equal('active');
    });

    it('is disabled when not enabled', () => {
      expect(tokenStatus({ ...active, enabled: false }, NOW)).to.equal('disabled');
    });

    it('is expired once the expiry is reached: exactly at now counts as expired', () => {
      expect(tokenStatus({ ...active, expiresAt: at(0) }, NOW)).to.equal('expired');
      expect(tokenStatus({ ...active, expiresAt: at(-1) }, NOW)).to.equal('expired');
      expect(tokenStatus({ ...active, expiresAt: at(1) }, NOW)).to.equal('active');
    });

    it('is used up when uses reach maxUses', () => {
      expect(tokenStatus({ ...active, maxUses: 3, uses: 2 }, NOW)).to.equal('active');
      expect(tokenStatus({ ...active, maxUses: 3, uses: 3 }, NOW)).to.equal('used_up');
      expect(tokenStatus({ ...active, maxUses: 3, uses: 4 }, NOW)).to.equal('used_up');
      expect(tokenStatus({ ...active, maxUses: 0, uses: 0 }, NOW)).to.equal('used_up');
    });

    it('disabled wins over expired, which wins over used up', () => {
      const everything: TokenState = { enabled: false, expiresAt: at(-1000), maxUses: 1, uses: 1 };
      expect(tokenStatus(everything, NOW)).to.equal('disabled');
      expect(tokenStatus({ ...everything, enabled: true }, NOW)).to.equal('expired');
      expect(tokenStatus({ ...everything, enabled: true, expiresAt: null }, NOW)).to.equal('used_up');
      expect(tokenStatus({ ...everything, enabled: true, expiresAt: at(1000) }, NOW)).to.equal('used_up');
    });
  });

  describe('checkUsable', () => {
    it('is ok(true) for an active token', () => {
      expect(checkUsable({ ...active, maxUses: 2, uses: 1, expiresAt: at(1) }, NOW)).to.deep.equal({ ok: true, value: true });
    });

    it('gives the specific reason, without a detail', () => {
      expect(checkUsable({ ...active, enabled: false }, NOW)).to.deep.equal({ ok: false, error: { code: 'TOKEN.DISABLED' } });
      expect(checkUsable({ ...active, expiresAt: at(0) }, NOW)).to.deep.equal({ ok: false, error: { code: 'TOKEN.EXPIRED' } });
      expect(checkUsable({ ...active, maxUses: 5, uses: 5 }, NOW)).to.deep.equal({ ok: false, error: { code: 'TOKEN.USED_UP' } });
    });

    it('follows the same precedence: disabled, then expired, then used up', () => {
      const everything: TokenState = { enabled: false, expiresAt: at(0), maxUses: 1, uses: 1 };
      expect(checkUsable(everything, NOW)).to.deep.equal({ ok: false, error: { code: 'TOKEN.DISABLED' } });
      expect(checkUsable({ ...everything, enabled: true }, NOW)).to.deep.equal({ ok: false, error: { code: 'TOKEN.EXPIRED' } });
    });
  });

  describe('validateNickname', () => {
    const refused = (input: string) => {
      expect(validateNickname(input), JSON.stringify(input)).to.deep.equal({
        ok: false,
        error: { code: 'TOKEN.NICKNAME_INVALID', data: { max: 100 } },
      });
      expect(errorMessage('TOKEN.NICKNAME_INVALID')).to.equal('A nickname can have at most 100 characters and no line breaks.');
    };

    it('makes an absent or blank nickname null', () => {
      for (const input of [null, undefined, '', '   ', '\t\n ']) {
        expect(validateNickname(input)).to.deep.equal({ ok: true, value: null });
      }
    });

    it('trims a nickname', () => {
      expect(validateNickname('  Spring fair  ')).to.deep.equal({ ok: true, value: 'Spring fair' });
    });

    it('accepts letters of any script and punctuation', () => {
      expect(validateNickname('Café — été 2026 / ラベル')).to.deep.equal({ ok: true, value: 'Café — été 2026 / ラベル' });
    });

    it('accepts 100 characters after trimming and refuses 101', () => {
      expect(NICKNAME_MAX_LENGTH).to.equal(100);
      expect(validateNickname(`  ${'x'.repeat(100)}  `)).to.deep.equal({ ok: true, value: 'x'.repeat(100) });
      refused('x'.repeat(101));
    });

    it('refuses control characters inside the nickname', () => {
      for (const input of ['a\nb', 'a\rb', 'a\tb', 'a\u0000b', 'a\u001bb', 'a\u001fb', 'a\u007fb']) refused(input);
    });

    it('drops a trailing line break by trimming rather than refusing', () => {
      expect(validateNickname('Fair\n')).to.deep.equal({ ok: true, value: 'Fair' });
    });
  });
});

describe('domain/token: max uses and changes', () => {
  it('validateMaxUses: blank is unlimited; whole numbers 1–1,000,000 only', () => {
    expect(m.validateMaxUses(null)).to.deep.equal({ ok: true, value: null });
    expect(m.validateMaxUses(undefined)).to.deep.equal({ ok: true, value: null });
    expect(m.validateMaxUses(1)).to.deep.equal({ ok: true, value: 1 });
    expect(m.validateMaxUses(1_000_000)).to.deep.equal({ ok: true, value: 1_000_000 });
    for (const bad of [0, -1, 1.5, 1_000_001, Number.NaN, Number.POSITIVE_INFINITY]) {
      const r = m.validateMaxUses(bad);
      expect(!r.ok && r.error.code, String(bad)).to.equal('TOKEN.MAX_USES_INVALID');
    }
  });

  const current = { nickname: 'Fair', expiresAt: new Date('2026-06-30T23:00:00Z'), maxUses: 10, enabled: true, uses: 4 };

  it('planTokenChange keeps only what really changes', () => {
    expect(m.planTokenChange(current, { nickname: 'Fair', expiresAt: new Date('2026-06-30T23:00:00Z'), maxUses: 10, enabled: true })).to.deep.equal({ ok: true, value: {} });
    expect(m.planTokenChange(current, { nickname: 'Spring fair', maxUses: null, enabled: false })).to.deep.equal({
      ok: true,
      value: { nickname: 'Spring fair', maxUses: null, enabled: false },
    });
    expect(m.planTokenChange(current, { expiresAt: null })).to.deep.equal({ ok: true, value: { expiresAt: null } });
    expect(m.hasChanges({})).to.equal(false);
    expect(m.hasChanges({ enabled: false })).to.equal(true);
  });

  it('planTokenChange refuses max uses below the uses already made; equal to them stops the token', () => {
    const below = m.planTokenChange(current, { maxUses: 3 });
    expect(!below.ok && below.error.code).to.equal('TOKEN.MAX_USES_BELOW_USES');
    expect(!below.ok && below.error.data).to.deep.equal({ uses: 4 });
    expect(m.planTokenChange(current, { maxUses: 4 })).to.deep.equal({ ok: true, value: { maxUses: 4 } });
    expect(m.tokenStatus({ ...current, expiresAt: null, maxUses: 4 }, new Date('2026-01-01'))).to.equal('used_up');
  });
});
