/* What the Registration page panel draws from a set of values: the field problems and the live preview. */
import {
  BRANDING_FIELDS, BRANDING_LIMITS, brandingForDisplay, contrastRatio, MIN_TEXT_CONTRAST, paragraphs,
  type BrandingField, type BrandingProblem, type BrandingProblems,
} from '../../../domain/branding/branding.js';
import { DEFAULT_BRANDING, type Branding } from '../../../domain/branding/branding-settings.js';
import { messages } from '../shared/messages.js';

const HEX = /^#[0-9a-fA-F]{6}$/;
const LOGO_PREVIEWABLE = /^(https:\/\/[^\s"'<>\\`]+|\/(?![/\\])[^\s"'<>\\`]*)$/;
const PROBLEMS: readonly BrandingProblem[] = ['url', 'colour', 'contrast', 'length', 'characters', 'logo-missing', 'logo-not-image'];

/** The form's fields as typed (each a string). */
export type BrandingValues = Record<BrandingField, string>;

/** Each field of a posted form or a stored draft, as a string ('' when missing). */
export function brandingValues(source: Record<string, unknown>): BrandingValues {
  const out = {} as BrandingValues;
  for (const f of BRANDING_FIELDS) out[f] = typeof source[f] === 'string' ? (source[f] as string) : '';
  return out;
}

export function storedValues(b: Branding): BrandingValues {
  const out = {} as BrandingValues;
  for (const f of BRANDING_FIELDS) out[f] = b[f] ?? '';
  return out;
}

/** The problems of a stored draft, keeping only known fields and problems. */
export function brandingProblems(source: unknown): BrandingProblems {
  const raw = (source && typeof source === 'object' ? source : {}) as Record<string, unknown>;
  const out: BrandingProblems = {};
  for (const f of BRANDING_FIELDS) if (PROBLEMS.includes(raw[f] as BrandingProblem)) out[f] = raw[f] as BrandingProblem;
  return out;
}

export function problemMessage(field: BrandingField, problem: BrandingProblem): string {
  const t = messages.brandingPanel;
  switch (problem) {
    case 'contrast':
      return t.lowContrast;
    case 'logo-missing':
      return t.logoMissing;
    case 'logo-not-image':
      return t.logoNotImage;
    case 'length':
      return t.tooLong(field === 'heading' ? BRANDING_LIMITS.heading : field === 'introduction' ? BRANDING_LIMITS.introduction : field === 'successMessage' ? BRANDING_LIMITS.successMessage : BRANDING_LIMITS.url);
    default:
      return t.fields[field].invalid;
  }
}

export function problemMessages(problems: BrandingProblems): Partial<Record<BrandingField, string>> {
  const out: Partial<Record<BrandingField, string>> = {};
  for (const f of BRANDING_FIELDS) {
    const p = problems[f];
    if (p) out[f] = problemMessage(f, p);
  }
  return out;
}

/** The preview as the server first draws it; the script keeps it in step while the admin types. */
export function previewModel(values: BrandingValues) {
  const shown = brandingForDisplay({
    ...DEFAULT_BRANDING,
    ...Object.fromEntries(BRANDING_FIELDS.map((f) => [f, values[f] === '' ? null : values[f]])),
  });
  const primary = HEX.test(values.primaryColour.trim()) ? values.primaryColour.trim().toLowerCase() : DEFAULT_BRANDING.primaryColour;
  const accent = HEX.test(values.accentColour.trim()) ? values.accentColour.trim().toLowerCase() : DEFAULT_BRANDING.accentColour;
  const ratio = contrastRatio(primary, '#ffffff');
  return {
    style: `--selfreg-b-primary:${primary};--selfreg-b-accent:${accent}`,
    primarySwatch: HEX.test(values.primaryColour.trim()) ? primary : null,
    accentSwatch: HEX.test(values.accentColour.trim()) ? accent : null,
    contrast: { ratio: ratio.toFixed(1), ok: ratio >= MIN_TEXT_CONTRAST },
    logoUrl: LOGO_PREVIEWABLE.test(values.logoUrl.trim()) ? values.logoUrl.trim() : null,
    heading: values.heading.trim() || messages.register.heading,
    introduction: shown.introduction ? paragraphs(shown.introduction) : [[messages.register.intro]],
    consent: values.termsUrl.trim() !== '' || values.privacyUrl.trim() !== '',
    consentLabel: values.termsUrl.trim() !== '' && values.privacyUrl.trim() === '' ? messages.registration.consent.labelTerms
      : values.termsUrl.trim() === '' && values.privacyUrl.trim() !== '' ? messages.registration.consent.labelPrivacy : messages.registration.consent.label,
    successMessage: shown.successMessage ? paragraphs(shown.successMessage) : [[messages.register.doneBody]],
  };
}
