import { randomBytes, randomInt } from 'node:crypto';
import { expect } from 'chai';
import { errorMessage } from '../../../../src/adapters/http/shared/messages.js';
import {
  CROCKFORD_ALPHABET, CUSTOM_MAX_LENGTH, CUSTOM_MIN_SIGNIFICANT, GENERATED_LENGTH, normaliseCode, TokenCode,
} from '../../../../src/domain/tokens/token-code.js';
import type { RandomSource } from '../../../../src/domain/ports/random.port.js';

/** Replays `values` in order and records every bound it was asked for. */
function scriptedRandom(values: number[]): RandomSource & { bounds: number[] } {
  const queue = [...values];
  const bounds: number[] = [];
  return {
    bounds,
    int(max: number) {
      bounds.push(max);
      const next = queue.shift();
      if (next === undefined) throw new Error('scripted random exhausted');
      return next;
    },
    secret: () => {
      throw new Error('not used');
    },
  };
}

const cryptoRandom: RandomSource = {
  int: (max) => randomInt(max),
  secret: (bytes) => randomBytes(bytes).toString('base64url'),
};

const GENERATED_SHAPE = /^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/;

describe('domain/token-code', () => {
  describe('constants', () => {
    it('uses the Crockford base32 alphabet: digits then letters without I, L, O and U', () => {
      expect(CROCKFORD_ALPHABET).to.equal('0123456789ABCDEFGHJKMNPQRSTVWXYZ');
      expect(CROCKFORD_ALPHABET).to.have.length(32);
      expect(new Set(CROCKFORD_ALPHABET).size).to.equal(32);
      for (const c of 'ILOU') expect(CROCKFORD_ALPHABET).not.to.include(c);
    });

    it('generates 12 characters and allows custom codes of 8 to 64 characters', () => {
      expect(GENERATED_LENGTH).to.equal(12);
      expect(CUSTOM_MIN_SIGNIFICANT).to.equal(8);
      expect(CUSTOM_MAX_LENGTH).to.equal(64);
    });
  });

  describe('TokenCode.generate', () => {
    it('draws 12 characters from the random source given, each in [0, 32), and formats them XXXX-XXXX-XXXX', () => {
      const random = scriptedRandom([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
      const code = TokenCode.generate(random);
      expect(random.bounds).to.deep.equal(Array(12).fill(32));
      expect(code.display).to.equal('0123-4567-89AB');
      expect(code.normalised).to.equal('0123456789AB');
      expect(code.custom).to.equal(false);
    });

    it('maps each drawn index to that position of the Crockford alphabet', () => {
      const code = TokenCode.generate(scriptedRandom([17, 18, 19, 20, 21, 22, 26, 27, 28, 29, 30, 31]));
      expect(code.display).to.equal('HJKM-NPTV-WXYZ');
      expect(code.normalised).to.equal('HJKMNPTVWXYZ');
    });

    it('different draws give different codes (the code depends on the source only)', () => {
      const a = TokenCode.generate(scriptedRandom(Array(12).fill(31)));
      const b = TokenCode.generate(scriptedRandom(Array(12).fill(0)));
      expect(a.display).to.equal('ZZZZ-ZZZZ-ZZZZ');
      expect(b.display).to.equal('0000-0000-0000');
    });

    it('produces a code already in canonical form that reads back as the same generated code', () => {
      const code = TokenCode.generate(scriptedRandom([25, 13, 3, 31, 0, 9, 10, 24, 7, 16, 22, 29]));
      expect(normaliseCode(code.display)).to.equal(code.normalised);
      const read = TokenCode.fromInput(code.display.toLowerCase());
      expect(read.ok && read.value.normalised).to.equal(code.normalised);
      expect(read.ok && read.value.display).to.equal(code.display);
      expect(read.ok && read.value.custom).to.equal(false);
    });

    it('with a crypto source: 1,000 codes, all well formed and all distinct, covering the whole alphabet', () => {
      const codes = Array.from({ length: 1000 }, () => TokenCode.generate(cryptoRandom));
      for (const c of codes) {
        expect(c.display).to.match(GENERATED_SHAPE);
        expect(c.normalised).to.equal(c.display.replace(/-/g, ''));
        expect(c.custom).to.equal(false);
      }
      expect(new Set(codes.map((c) => c.normalised)).size).to.equal(1000);
      // 12,000 characters: each of the 32 is expected 375 times (σ ≈ 19); 250–500 is over 6σ either way.
      const counts = new Map<string, number>();
      for (const c of codes) for (const ch of c.normalised) counts.set(ch, (counts.get(ch) ?? 0) + 1);
      expect([...counts.keys()].sort().join('')).to.equal(CROCKFORD_ALPHABET);
      for (const [ch, n] of counts) expect(n, `count of ${ch}`).to.be.within(250, 500);
    });
  });

  describe('normaliseCode', () => {
    it('upper-cases', () => {
      expect(normaliseCode('abcd')).to.equal('ABCD');
    });

    it('drops spaces, tabs, line breaks and hyphens wherever they are', () => {
      expect(normaliseCode(' ab cd\tef-gh\n')).to.equal('ABCDEFGH');
      expect(normaliseCode('--a - -b  c--')).to.equal('ABC');
    });

    it('reads I and L (either case) as 1 and O (either case) as 0', () => {
      expect(normaliseCode('iIlL')).to.equal('1111');
      expect(normaliseCode('oO')).to.equal('00');
      expect(normaliseCode('hello-world')).to.equal('HE110W0R1D');
    });

    it('leaves the other characters as they are', () => {
      expect(normaliseCode('7K3M-Q9XA-2B8D')).to.equal('7K3MQ9XA2B8D');
      expect(normaliseCode('u_#')).to.equal('U_#');
    });

    it('is idempotent', () => {
      const once = normaliseCode(' Lo-Il oz ');
      expect(once).to.equal('10110Z');
      expect(normaliseCode(once)).to.equal(once);
    });

    it('makes look-alike spellings the same code', () => {
      expect(normaliseCode('ABCD-EF1O-0L1I')).to.equal(normaliseCode('abcd ef10 0111'));
    });
  });

  describe('TokenCode.custom', () => {
    const invalid = (input: string) => {
      const r = TokenCode.custom(input);
      expect(r.ok, `"${input}" should be refused`).to.equal(false);
      if (!r.ok) {
        expect(r.error).to.deep.equal({ code: 'TOKEN.CODE_INVALID' });
        expect(errorMessage(r.error.code)).to.equal('A custom code may use only the letters A–Z, digits and single hyphens.');
      }
    };

    it('accepts letters, digits and single hyphens, shown upper case and marked custom', () => {
      const r = TokenCode.custom('Summer-2025');
      expect(r.ok).to.equal(true);
      if (!r.ok) return;
      expect(r.value.display).to.equal('SUMMER-2025');
      expect(r.value.normalised).to.equal('SUMMER2025');
      expect(r.value.custom).to.equal(true);
    });

    it('ignores surrounding and inner spaces', () => {
      const r = TokenCode.custom('  summer 20 25 ');
      expect(r.ok && r.value.display).to.equal('SUMMER2025');
      expect(r.ok && r.value.normalised).to.equal('SUMMER2025');
    });

    it('keeps I, L and O in the display but normalises them for lookup', () => {
      const r = TokenCode.custom('welcome-lol');
      expect(r.ok && r.value.display).to.equal('WELCOME-LOL');
      expect(r.ok && r.value.normalised).to.equal('WE1C0ME101');
      const typed = TokenCode.fromInput('we1come 1o1');
      expect(typed.ok && typed.value.normalised).to.equal('WE1C0ME101');
    });

    it('accepts exactly 8 significant characters', () => {
      const r = TokenCode.custom('ABCD-EFGH');
      expect(r.ok && r.value.normalised).to.equal('ABCDEFGH');
    });

    it('refuses fewer than 8 significant characters, counting after hyphens are dropped', () => {
      for (const input of ['ABCDEFG', 'AB-CD-EF-G', 'A B C D E F G']) {
        const r = TokenCode.custom(input);
        expect(r.ok, input).to.equal(false);
        if (!r.ok) {
          expect(r.error).to.deep.equal({ code: 'TOKEN.CODE_TOO_SHORT', data: { min: 8 } });
          expect(errorMessage(r.error.code)).to.equal('A custom code needs at least 8 letters or digits.');
        }
      }
    });

    it('refuses characters outside A–Z, 0–9 and hyphen', () => {
      for (const input of ['SUMMER_2025', 'SUMMER.2025', 'SUMMER/2025', 'ÉTÉ-2025-ABC', 'SUMMER2025!', '<SCRIPT>XX']) invalid(input);
    });

    it('refuses an empty or blank code', () => {
      invalid('');
      invalid('   ');
    });

    it('refuses leading, trailing and double hyphens (also when spaces separate them)', () => {
      invalid('-ABCDEFGH');
      invalid('ABCDEFGH-');
      invalid('ABCD--EFGH');
      invalid('ABCD- -EFGH');
      invalid('-');
    });

    it('accepts 64 characters and refuses 65 (spaces not counted)', () => {
      expect(TokenCode.custom('A'.repeat(64)).ok).to.equal(true);
      invalid('A'.repeat(65));
      invalid(`${'AB-'.repeat(21)}AB`); // 65 characters with hyphens
      const spaced = TokenCode.custom(Array(64).fill('A').join(' '));
      expect(spaced.ok && spaced.value.display).to.equal('A'.repeat(64));
    });
  });

  describe('TokenCode.fromInput', () => {
    const refusedWith = (input: string, code: string) => {
      const r = TokenCode.fromInput(input);
      expect(r.ok, `"${input}" should be refused`).to.equal(false);
      if (!r.ok) expect(r.error).to.deep.equal({ code });
    };

    it('reads a generated code leniently: case, spaces, hyphens', () => {
      for (const input of ['7k3m q9xa 2b8d', ' 7K3M-Q9XA-2B8D ', '7k3mq9xa2b8d', '7K3M - Q9XA - 2B8D']) {
        const r = TokenCode.fromInput(input);
        expect(r.ok, input).to.equal(true);
        if (!r.ok) continue;
        expect(r.value.normalised).to.equal('7K3MQ9XA2B8D');
        expect(r.value.display).to.equal('7K3M-Q9XA-2B8D');
        expect(r.value.custom).to.equal(false);
      }
    });

    it('reads I/L as 1 and O as 0', () => {
      const r = TokenCode.fromInput('ioio-lili-oooo');
      expect(r.ok && r.value.normalised).to.equal('101011110000');
      expect(r.ok && r.value.display).to.equal('1010-1111-0000');
    });

    it('treats 12 significant characters as a generated code and any other length as custom', () => {
      const twelve = TokenCode.fromInput('ABCDEFGHJKMN');
      expect(twelve.ok && twelve.value.custom).to.equal(false);
      const eleven = TokenCode.fromInput('ABCDEFGHJKM');
      expect(eleven.ok && eleven.value.custom).to.equal(true);
      expect(eleven.ok && eleven.value.display).to.equal('ABCDEFGHJKM');
      const thirteen = TokenCode.fromInput('ABCDEFGHJKMNP');
      expect(thirteen.ok && thirteen.value.custom).to.equal(true);
      expect(thirteen.ok && thirteen.value.display).to.equal('ABCDEFGHJKMNP');
    });

    it('reads a custom code in its canonical form', () => {
      const r = TokenCode.fromInput('summer-2025');
      expect(r.ok && r.value.normalised).to.equal('SUMMER2025');
      expect(r.ok && r.value.display).to.equal('SUMMER2025');
      expect(r.ok && r.value.custom).to.equal(true);
    });

    it('accepts exactly 8 significant characters and refuses 7 as too short', () => {
      expect(TokenCode.fromInput('abcd-efgh').ok).to.equal(true);
      refusedWith('abcd-efg', 'TOKEN.CODE_TOO_SHORT');
      refusedWith('A-B-C-D-E-F-G', 'TOKEN.CODE_TOO_SHORT');
    });

    it('refuses garbage without a detail', () => {
      for (const input of ['', '   ', '---', 'ABCD_EFGH', 'ABCD.EFGH', '<script>alert(1)</script>', 'ÀBCDEFGH', "' OR 1=1 --"]) {
        refusedWith(input, 'TOKEN.CODE_INVALID');
      }
    });

    it('accepts up to 128 characters of input and refuses longer input before reading it', () => {
      const r = TokenCode.fromInput('A'.repeat(128));
      expect(r.ok && r.value.normalised).to.equal('A'.repeat(128));
      refusedWith('A'.repeat(129), 'TOKEN.CODE_INVALID');
    });

    it('finds the same canonical form as the custom code an admin created', () => {
      const created = TokenCode.custom('Open-Day-2026');
      const typed = TokenCode.fromInput('open day 2026');
      expect(created.ok && created.value.normalised).to.equal('0PENDAY2026');
      expect(typed.ok && typed.value.normalised).to.equal('0PENDAY2026');
    });
  });
});
