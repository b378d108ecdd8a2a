/*
 * Campaign attribution: the utm_* parameters a deep link was opened with. Only the five standard
 * keys are kept; each value is trimmed and cut to 100 characters, and a value with anything but
 * letters, digits, spaces and a few URL-safe marks (markup, quotes, control characters) is refused.
 */
export const UTM_KEYS = ['utm_source', 'utm_medium', 'utm_campaign', 'utm_term', 'utm_content'] as const;
export type UtmKey = (typeof UTM_KEYS)[number];

export type Attribution = Readonly<Partial<Record<UtmKey, string>>>;

export const UTM_MAX_LENGTH = 100;
const SAFE = /^[\p{L}\p{N}\p{M} ._~+\-/:@|,()!#%&*?=]+$/u;

/** One utm value as kept, or null when it is refused (empty, not a string, or hostile characters). */
export function cleanUtmValue(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const trimmed = value.normalize('NFC').trim().replace(/\s+/g, ' ');
  if (trimmed === '' || !SAFE.test(trimmed)) return null;
  return [...trimmed].slice(0, UTM_MAX_LENGTH).join('').trim();
}

/** The attribution in a query (only the whitelisted keys), or null when none is usable. */
export function attributionFrom(query: Readonly<Record<string, unknown>>): Attribution | null {
  const kept: Partial<Record<UtmKey, string>> = {};
  for (const key of UTM_KEYS) {
    const raw = Array.isArray(query[key]) ? (query[key] as unknown[])[0] : query[key];
    const value = cleanUtmValue(raw);
    if (value) kept[key] = value;
  }
  return Object.keys(kept).length > 0 ? kept : null;
}

/** "source / medium / campaign" as one line for screens and columns; null without a campaign. */
export function campaignLabel(a: Attribution | null | undefined): string | null {
  if (!a) return null;
  const parts = [a.utm_source, a.utm_medium, a.utm_campaign].filter((p): p is string => !!p);
  if (parts.length === 0) return a.utm_term ?? a.utm_content ?? null;
  return parts.join(' / ');
}
