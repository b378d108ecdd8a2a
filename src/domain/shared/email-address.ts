/*
 * What an email address may look like, for every feature that takes one: a sane shape (not RFC
 * 5322), nothing a person cannot see, and a flag for addresses that mix scripts within a word (a
 * Cyrillic "а" in "аdmin@…"), which admins are shown.
 */
import { hasControlCharacters } from './text-rules.js';

// One @, no spaces, brackets or quotes, a dot in the domain.
const SHAPE = /^[^\s@<>()[\]\\,;:"]+@[^\s@<>()[\]\\,;:"]+\.[^\s@<>()[\]\\,;:".]{2,}$/;

/**
 * Characters that render as nothing or can pass for nothing: format characters (zero-width space
 * and joiners, soft hyphen, bidi controls, BOM), private use and unassigned code points, the
 * combining grapheme joiner, variation selectors and the Hangul fillers.
 */
const INVISIBLE = /[\p{Cf}\p{Co}\p{Cn}\u034f\u115f\u1160\u180b-\u180f\u3164\ufe00-\ufe0f\uffa0\u{e0100}-\u{e01ef}]/u;

export type EmailAddressProblem = 'invalid' | 'invisible';

/** Null when `value` (already trimmed) is an address we accept; otherwise why not. */
export function emailAddressProblem(value: string): EmailAddressProblem | null {
  if (hasControlCharacters(value) || INVISIBLE.test(value)) return 'invisible';
  if (value.length > 254 || !SHAPE.test(value)) return 'invalid';
  return null;
}

export const isEmailAddress = (value: string): boolean => emailAddressProblem(value) === null;

/** Scripts a reader can confuse, each with the scripts that legitimately share words with it. */
const SCRIPTS: readonly [string, RegExp][] = [
  ['Latin', /\p{Script=Latin}/u],
  ['Cyrillic', /\p{Script=Cyrillic}/u],
  ['Greek', /\p{Script=Greek}/u],
  ['Armenian', /\p{Script=Armenian}/u],
  ['Georgian', /\p{Script=Georgian}/u],
  ['Cherokee', /\p{Script=Cherokee}/u],
  ['Hebrew', /\p{Script=Hebrew}/u],
  ['Arabic', /\p{Script=Arabic}/u],
  ['CJK', /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u],
];

function scriptOf(char: string): string | null {
  if (!/\p{L}/u.test(char)) return null;
  for (const [name, re] of SCRIPTS) if (re.test(char)) return name;
  return 'Other';
}

/**
 * Whether a word of the address (the parts between `.`, `@`, `+`, `-` and `_`) mixes letters of
 * different scripts: allowed, but shown to admins, because it can read like someone else's address.
 */
export function isMixedScript(email: string): boolean {
  return email.split(/[.@+_-]/).some((word) => {
    const scripts = new Set<string>();
    for (const char of word) {
      const script = scriptOf(char);
      if (script) scripts.add(script);
    }
    return scripts.size > 1;
  });
}
