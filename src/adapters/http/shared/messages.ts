import { ErrorCodes, type ErrorCode } from '../../../domain/shared/errors.js';
import { brandingPanel } from './messages/branding.js';
import { errors } from './messages/errors.js';
import { mail } from './messages/mail.js';
import { notifications } from './messages/notifications.js';
import { fields, invitation, linkProblemTitle, register, registration, signIn } from './messages/registration.js';
import { panel, tokenAdmin } from './messages/token-admin.js';
import { reports } from './messages/reports.js';
import { webhooks } from './messages/webhooks.js';
import { rules } from './messages/rules.js';

/**
 * Every sentence the plugin shows a person, in one catalogue (English first), keyed by stable ids
 * and error codes, so a host can translate by replacing this object. The sentences are written in
 * messages/, a file per feature; this object puts them together under the keys importers use.
 */
export const messages = {
  errors,
  fields,
  register,
  invitation,
  signIn,
  linkProblemTitle,
  panel,
  notifications,
  mail,
  /** Token management: the Enrolment panel, the portal panel, the Tokens and Activity pages. */
  tokenAdmin,
  /** The public registration pages beyond the form's fields. */
  registration,
  /** The "Registration page" panel on the portal settings page. */
  brandingPanel,
  /** Refusals of hostile input at the edge, before any handler runs. */
  hostile: {
    nul: 'The request holds a NUL character (%00), which cannot be part of any field. Remove it and try again.',
  },
  /** The plugin's reports (registrations, token usage) and the columns it adds to the host's item reports. */
  reports,
  /** The Webhooks panel. */
  webhooks,
  /** The Enrolment rules panel on the portal settings page, its rule form and dry-run page. */
  rules,
} as const;

export function errorMessage(code: string): string {
  return (messages.errors as Record<string, string>)[code] ?? messages.errors[ErrorCodes.REGISTRATION_UNAVAILABLE];
}

export const isKnownErrorCode = (code: unknown): code is ErrorCode =>
  typeof code === 'string' && Object.prototype.hasOwnProperty.call(messages.errors, code);
