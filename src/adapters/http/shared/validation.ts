import { z } from 'zod';
import { messages } from './messages.js';
import { hasControlCharacters } from '../../../domain/shared/text-rules.js';
import { sameOriginPath } from '../../../domain/shared/urls.js';
import { emailAddressProblem } from '../../../domain/shared/email-address.js';

// Letters of any script, with the marks, spaces and punctuation names really use; no digits, no URLs.
const NAME = /^[\p{L}\p{M}](?:[\p{L}\p{M}'’. -]*[\p{L}\p{M}.])?$/u;

const name = (field: 'firstName' | 'lastName') =>
  z
    .string({ error: messages.fields[field].required })
    .transform((s) => s.normalize('NFC').trim().replace(/\s+/g, ' '))
    .pipe(
      z
        .string()
        .min(1, messages.fields[field].required)
        .max(100, messages.fields[field].invalid)
        .refine((s) => !hasControlCharacters(s) && NAME.test(s), messages.fields[field].invalid),
    );

/**
 * The public form. Only these fields are read: user type, role, status and the item come from the
 * server alone, and anything else in the body is ignored (mass assignment).
 */
export const registrationForm = z.object({
  firstName: name('firstName'),
  lastName: name('lastName'),
  email: z
    .string({ error: messages.fields.email.required })
    .transform((s) => s.trim().toLowerCase())
    .pipe(
      z
        .string()
        .min(1, messages.fields.email.required)
        .superRefine((s, ctx) => {
          const problem = emailAddressProblem(s);
          if (problem) ctx.addIssue({ code: 'custom', message: messages.fields.email[problem] });
        }),
    ),
  token: z
    .string({ error: messages.fields.token.required })
    .transform((s) => s.trim())
    .pipe(z.string().min(1, messages.fields.token.required).max(80, messages.fields.token.invalid).regex(/^[A-Za-z0-9 -]+$/, messages.fields.token.invalid)),
});

export type RegistrationForm = z.infer<typeof registrationForm>;

export const passwordForm = z
  .object({
    password: z.string({ error: messages.fields.password.required }).min(1, messages.fields.password.required).max(200, messages.fields.password.invalid),
    passwordConfirm: z.string({ error: messages.fields.passwordConfirm.required }).min(1, messages.fields.passwordConfirm.required),
  })
  .refine((v) => v.password === v.passwordConfirm, { path: ['passwordConfirm'], message: messages.fields.passwordConfirm.invalid });

/** Field → first message, for the error summary and inline errors. */
export function fieldErrors(error: z.ZodError): Record<string, string> {
  const out: Record<string, string> = {};
  for (const issue of error.issues) {
    const key = String(issue.path[0] ?? 'form');
    out[key] ??= issue.message;
  }
  return out;
}

/** Post-login and post-action redirects: same-origin paths only. */
export function safeLocalPath(value: unknown, fallback = '/'): string {
  return sameOriginPath(value) ?? fallback;
}

/** The consent box: present and ticked (`consent=yes`). Only asked when the organisation links terms or privacy. */
export const consentGiven = (body: Record<string, unknown>): boolean => body.consent === 'yes';

/**
 * The Registration page panel's form, read at the edge: each field a string of bounded size (the
 * domain's validateBranding applies the real rules and names each field's problem).
 */
const brandingText = z.string().max(10_000).optional();
export const brandingForm = z.object({
  logoUrl: brandingText,
  primaryColour: brandingText,
  accentColour: brandingText,
  heading: brandingText,
  introduction: brandingText,
  termsUrl: brandingText,
  privacyUrl: brandingText,
  successMessage: brandingText,
});
