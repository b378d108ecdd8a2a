/*
 * Admin notifications of external enrolments: who gets them and how. Pure rules, no I/O.
 */
import { ErrorCodes, type Refusal } from '../shared/errors.js';
import { err, ok, type Result } from '../shared/result.js';
import { hasControlCharacters } from '../shared/text-rules.js';
import { isLinkable } from '../shared/urls.js';
import { isEmailAddress } from '../shared/email-address.js';

export const NOTIFICATION_MODES = ['each', 'digest'] as const;
/** `each`: an email per enrolment; `digest`: one email per item and local day. */
export type NotificationMode = (typeof NOTIFICATION_MODES)[number];

/** Stakeholders an item may name besides the portal's primary admin. */
export const MAX_STAKEHOLDERS = 20;
/** What the recipients field may hold at all, before it is split (a pasted address book is refused, not truncated). */
export const MAX_RECIPIENTS_INPUT = 6000;

export interface NotificationSettings {
  readonly enabled: boolean;
  readonly mode: NotificationMode;
  /** Lower-cased, validated, de-duplicated; the primary admin is added when mail is sent. */
  readonly stakeholders: readonly string[];
}

export const DEFAULT_NOTIFICATION_SETTINGS: NotificationSettings = { enabled: false, mode: 'each', stakeholders: [] };

export const isNotificationMode = (value: unknown): value is NotificationMode =>
  typeof value === 'string' && (NOTIFICATION_MODES as readonly string[]).includes(value);


export type RecipientsRefusal =
  | (Refusal<typeof ErrorCodes.NOTIFICATION_RECIPIENT_INVALID> & { readonly invalid: readonly string[] })
  | (Refusal<typeof ErrorCodes.NOTIFICATION_TOO_MANY_RECIPIENTS> & { readonly count: number; readonly max: number });

/**
 * Reads the stakeholders an admin typed: addresses separated by commas, semicolons or line breaks;
 * `Name <address>` as pasted from a mail client is accepted. Returns the lower-cased, de-duplicated
 * list, or every entry that is not an address (in the order typed), or the count when there are
 * more than MAX_STAKEHOLDERS distinct addresses.
 */
export function parseStakeholders(input: string): Result<string[], RecipientsRefusal> {
  if (input.length > MAX_RECIPIENTS_INPUT) {
    return err({ code: ErrorCodes.NOTIFICATION_TOO_MANY_RECIPIENTS, count: input.split(/[,;\n]/).length, max: MAX_STAKEHOLDERS });
  }
  const entries = input
    .split(/[,;\r\n]+/)
    .map((entry) => entry.trim())
    .filter((entry) => entry.length > 0);
  const invalid: string[] = [];
  const seen = new Set<string>();
  const addresses: string[] = [];
  for (const entry of entries) {
    const bracketed = /<([^<>]*)>\s*$/.exec(entry);
    const address = (bracketed ? bracketed[1]! : entry).trim().toLowerCase();
    if (!isEmailAddress(address)) {
      if (!invalid.includes(entry)) invalid.push(entry);
      continue;
    }
    if (seen.has(address)) continue;
    seen.add(address);
    addresses.push(address);
  }
  if (invalid.length > 0) return err({ code: ErrorCodes.NOTIFICATION_RECIPIENT_INVALID, invalid });
  if (addresses.length > MAX_STAKEHOLDERS) return err({ code: ErrorCodes.NOTIFICATION_TOO_MANY_RECIPIENTS, count: addresses.length, max: MAX_STAKEHOLDERS });
  return ok(addresses);
}

/** Who is emailed: the primary admin first (always, while notifications are on), then the stakeholders, each once. */
export function notificationRecipients(settings: NotificationSettings, primaryAdminEmail: string | null): string[] {
  if (!settings.enabled) return [];
  const out: string[] = [];
  const seen = new Set<string>();
  for (const candidate of [primaryAdminEmail ?? '', ...settings.stakeholders]) {
    const address = candidate.trim();
    const key = address.toLowerCase();
    if (!address || seen.has(key) || !isEmailAddress(key)) continue;
    seen.add(key);
    out.push(address);
  }
  return out;
}

/** The settings an admin submitted, validated as a whole: nothing is stored unless all of it is right. */
export function decideNotificationSettings(input: { enabled: boolean; mode: unknown; stakeholders: string }): Result<NotificationSettings, RecipientsRefusal | Refusal<typeof ErrorCodes.NOTIFICATION_MODE_INVALID>> {
  if (!isNotificationMode(input.mode)) return err({ code: ErrorCodes.NOTIFICATION_MODE_INVALID });
  const stakeholders = parseStakeholders(input.stakeholders);
  if (!stakeholders.ok) return stakeholders;
  return ok({ enabled: input.enabled, mode: input.mode, stakeholders: stakeholders.value });
}

/**
 * A link a host gave for an item (learner URL, report URL) that an email may use: a same-origin path,
 * or an absolute http(s) URL (kept only if it lies under the public base URL, see publicLink).
 */
export function isLocalLink(value: unknown): value is string {
  return isLinkable(value);
}

/**
 * The absolute link an email shows: a path is put under the configured public base URL; an absolute
 * URL is kept only when it already lies under it. Anything else gives no link at all.
 */
export function publicLink(baseUrl: string, candidate: unknown): string | null {
  if (!isLocalLink(candidate)) return null;
  const base = baseUrl.replace(/\/+$/, '');
  if (candidate.startsWith('/')) return base + candidate;
  return candidate === base || candidate.startsWith(`${base}/`) || candidate.startsWith(`${base}?`) ? candidate : null;
}
