import { err, ok, type Result } from '../shared/result.js';
import { ErrorCodes, refuse, refuseWith, type Refusal } from '../shared/errors.js';
import type { RandomSource } from '../ports/random.port.js';

/** Crockford base32: no I, L, O or U, so codes survive being read aloud or retyped. */
export const CROCKFORD_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
export const GENERATED_LENGTH = 12;
export const CUSTOM_MIN_SIGNIFICANT = 8;
export const CUSTOM_MAX_LENGTH = 64;

/**
 * Canonical form used for lookup: upper case, spaces and hyphens dropped, I/L read as 1 and O as 0
 * (the look-alikes people mistype). Two inputs that normalise equally are the same code.
 */
export function normaliseCode(input: string): string {
  return input
    .toUpperCase()
    .replace(/[\s-]+/g, '')
    .replace(/[IL]/g, '1')
    .replace(/O/g, '0');
}

export type CodeRefusal = Refusal<typeof ErrorCodes.TOKEN_CODE_INVALID | typeof ErrorCodes.TOKEN_CODE_TOO_SHORT>;

/** A token's code: what registrants type, and the key its digest is looked up by. */
export class TokenCode {
  private constructor(
    /** What a person is shown and copies, e.g. `7K3M-Q9XA-2B8D`. */
    readonly display: string,
    /** Canonical form (see normaliseCode); the only form that is digested for lookup. */
    readonly normalised: string,
    /** Custom codes are chosen by people and so are shown as weaker than generated ones. */
    readonly custom: boolean,
  ) {}

  /** A fresh code of 12 Crockford characters (60 bits) drawn from a cryptographic source. */
  static generate(random: RandomSource): TokenCode {
    let raw = '';
    for (let i = 0; i < GENERATED_LENGTH; i++) raw += CROCKFORD_ALPHABET[random.int(CROCKFORD_ALPHABET.length)];
    return new TokenCode(formatGenerated(raw), raw, false);
  }

  /** An admin-chosen code: A–Z, 0–9 and hyphens (spaces ignored), at least 8 significant characters. */
  static custom(input: string): Result<TokenCode, CodeRefusal> {
    const cleaned = input.trim().toUpperCase().replace(/\s+/g, '');
    if (cleaned.length === 0 || cleaned.length > CUSTOM_MAX_LENGTH || !/^[A-Z0-9-]+$/.test(cleaned) || /^-|-$|--/.test(cleaned)) {
      return err(refuse(ErrorCodes.TOKEN_CODE_INVALID));
    }
    const normalised = normaliseCode(cleaned);
    if (normalised.length < CUSTOM_MIN_SIGNIFICANT) {
      return err(refuseWith(ErrorCodes.TOKEN_CODE_TOO_SHORT, { min: CUSTOM_MIN_SIGNIFICANT }));
    }
    return ok(new TokenCode(cleaned, normalised, true));
  }

  /**
   * What a registrant typed, read leniently. Anything that cannot be a code of either kind is
   * refused here, so it never reaches storage (and is answered like any unknown code).
   */
  static fromInput(input: string): Result<TokenCode, CodeRefusal> {
    if (input.length > CUSTOM_MAX_LENGTH * 2) return err(refuse(ErrorCodes.TOKEN_CODE_INVALID));
    const normalised = normaliseCode(input.trim());
    if (!/^[A-Z0-9]+$/.test(normalised)) return err(refuse(ErrorCodes.TOKEN_CODE_INVALID));
    if (normalised.length < CUSTOM_MIN_SIGNIFICANT) return err(refuse(ErrorCodes.TOKEN_CODE_TOO_SHORT));
    const display = normalised.length === GENERATED_LENGTH ? formatGenerated(normalised) : normalised;
    return ok(new TokenCode(display, normalised, normalised.length !== GENERATED_LENGTH));
  }
}

function formatGenerated(raw: string): string {
  return `${raw.slice(0, 4)}-${raw.slice(4, 8)}-${raw.slice(8, 12)}`;
}
