import { err, ok, type Result } from '../shared/result.js';
import { DEFAULT_BRANDING, type Branding } from './branding-settings.js';
import { hasControlCharacters } from '../shared/text-rules.js';
import { isHttpsUrl, isHttpUrl, isSitePath } from '../shared/urls.js';
import { contrastRatio } from '../shared/colour.js';

export { SITE_PATH } from '../shared/urls.js';
export { contrastRatio, relativeLuminance } from '../shared/colour.js';

/*
 * The registration page's branding: what admins may set, and the rules that keep the page safe,
 * readable and accessible whatever they type. Pure: no I/O, no URL parser, no DOM.
 */

export const BRANDING_FIELDS = [
  'logoUrl', 'primaryColour', 'accentColour', 'heading', 'introduction', 'termsUrl', 'privacyUrl', 'successMessage',
] as const satisfies readonly (keyof Branding)[];
export type BrandingField = (typeof BRANDING_FIELDS)[number];

export const BRANDING_LIMITS = { url: 2048, heading: 120, introduction: 2000, successMessage: 1000 } as const;

/** WCAG 2.2 AA for normal text: white button text and primary-coloured links must reach it. */
export const MIN_TEXT_CONTRAST = 4.5;

/**
 * Why a field was refused; the HTTP edge maps each to a sentence in the message catalogue.
 * - `url`: not an https:// address (logo), an http(s):// address (terms, privacy), or a site path.
 * - `colour`: not `#rrggbb`.
 * - `contrast`: the primary colour is too light for white text (below MIN_TEXT_CONTRAST).
 * - `length`: too long.
 * - `characters`: control characters (or, in single-line fields, line breaks).
 */
/** `logo-missing` / `logo-not-image`: the logo's address answers an error, or something that is not an image. */
export type BrandingProblem = 'url' | 'colour' | 'contrast' | 'length' | 'characters' | 'logo-missing' | 'logo-not-image';
export type BrandingProblems = Partial<Record<BrandingField, BrandingProblem>>;

/** What an admin submitted: every field as typed (absent and blank mean "not set"). */
export type BrandingInput = Partial<Record<BrandingField, string | null | undefined>>;

const HEX = /^#[0-9a-f]{6}$/;

const blankToNull = (value: string | null | undefined): string | null => {
  const trimmed = (value ?? '').trim();
  return trimmed === '' ? null : trimmed;
};

type FieldCheck = (value: string | null | undefined) => Result<string | null, BrandingProblem>;

const urlField = (pattern: (s: string) => boolean): FieldCheck => (raw) => {
  const value = blankToNull(raw);
  if (value === null) return ok(null);
  if (value.length > BRANDING_LIMITS.url) return err('length');
  if (hasControlCharacters(value) || !pattern(value)) return err('url');
  return ok(value);
};

const singleLine = (max: number): FieldCheck => (raw) => {
  const value = blankToNull(raw)?.replace(/\s+/g, ' ') ?? null;
  if (value === null) return ok(null);
  if (hasControlCharacters(value)) return err('characters');
  if (value.length > max) return err('length');
  return ok(value);
};

/** Plain text with line breaks: CRLF/CR become LF, trailing spaces go, at most one blank line in a row. */
const multiLine = (max: number): FieldCheck => (raw) => {
  const value = blankToNull(
    (raw ?? '')
      .replace(/\r\n?/g, '\n')
      .split('\n')
      .map((line) => line.replace(/[ \t]+$/g, ''))
      .join('\n')
      .replace(/\n{3,}/g, '\n\n'),
  );
  if (value === null) return ok(null);
  if (hasControlCharacters(value, { allowLineFeeds: true })) return err('characters');
  if (value.length > max) return err('length');
  return ok(value);
};

const colourField = (needsContrast: boolean): FieldCheck => (raw) => {
  const value = blankToNull(raw)?.toLowerCase() ?? null;
  if (value === null) return err('colour');
  if (!HEX.test(value)) return err('colour');
  if (needsContrast && contrastRatio(value, '#ffffff') < MIN_TEXT_CONTRAST) return err('contrast');
  return ok(value);
};

const CHECKS: Record<BrandingField, FieldCheck> = {
  logoUrl: urlField((s) => isHttpsUrl(s) || isSitePath(s)),
  primaryColour: colourField(true),
  accentColour: colourField(false),
  heading: singleLine(BRANDING_LIMITS.heading),
  introduction: multiLine(BRANDING_LIMITS.introduction),
  termsUrl: urlField(isHttpUrl),
  privacyUrl: urlField(isHttpUrl),
  successMessage: multiLine(BRANDING_LIMITS.successMessage),
};

/** Validates a whole submission: the cleaned branding, or every field's problem at once. */
export function validateBranding(input: BrandingInput): Result<Branding, BrandingProblems> {
  const problems: BrandingProblems = {};
  const out: Record<string, string | null> = {};
  for (const field of BRANDING_FIELDS) {
    const checked = CHECKS[field](input[field]);
    if (checked.ok) out[field] = checked.value;
    else problems[field] = checked.error;
  }
  if (Object.keys(problems).length > 0) return err(problems);
  return ok(out as unknown as Branding);
}

/**
 * Branding as read back from storage, made safe to display: any field that no longer passes the
 * rules (an older version, a hand-edited row) falls back to its default instead of reaching a page.
 */
export function brandingForDisplay(stored: unknown): Branding {
  const source = stored && typeof stored === 'object' ? (stored as Record<string, unknown>) : {};
  const out: Record<string, string | null> = {};
  for (const field of BRANDING_FIELDS) {
    const raw = source[field];
    const checked = typeof raw === 'string' || raw === null ? CHECKS[field](raw) : null;
    out[field] = checked?.ok ? checked.value : DEFAULT_BRANDING[field];
  }
  return out as unknown as Branding;
}

/** The consent checkbox appears only when the organisation links its terms or privacy notice. */
export const requiresConsent = (branding: Pick<Branding, 'termsUrl' | 'privacyUrl'>): boolean =>
  branding.termsUrl !== null || branding.privacyUrl !== null;

/**
 * Plain text as paragraphs of lines: a blank line separates paragraphs, a single line break stays
 * a line break. Views print each line escaped, so no markup ever comes from an admin's text.
 */
export function paragraphs(text: string | null): string[][] {
  if (!text) return [];
  return text
    .split(/\n{2,}/)
    .map((p) => p.split('\n').filter((line) => line.trim() !== ''))
    .filter((p) => p.length > 0);
}

/** Black or white, whichever reads better on the given background. */
export const textColourOn = (background: string): '#000000' | '#ffffff' =>
  contrastRatio(background, '#000000') >= contrastRatio(background, '#ffffff') ? '#000000' : '#ffffff';
