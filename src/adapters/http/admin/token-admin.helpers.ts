/*
 * What the token-management adapters share: form parsing at the edge (zod), field names of error
 * codes, the post/redirect/get flash parameters, date formatting in the portal's time zone, and how
 * audit entries read.
 */
import { z } from 'zod';
import type { AccessControlPort } from '../../../contract/index.js';
import type { PortalInfo, PortalPort } from '../../../domain/ports/host.ports.js';
import { ErrorCodes } from '../../../domain/shared/errors.js';
import { DELETED_WITH_ITEM, type AuditEntry } from '../../../domain/audit/audit.js';
import { expiryDateInZone } from '../../../domain/tokens/expiry.js';
import { isValidTimeZone } from '../../../domain/shared/time-zone.js';
import { isKnowledgeType, knowledgeTypeLabel, type KnowledgeRef } from '../../../domain/shared/knowledge.js';
import { TOKEN_STATUSES, type TokenStatus } from '../../../domain/tokens/token.js';
import { messages } from '../shared/messages.js';

export const ADMIN_BASE = '/admin/self-registration';
export const TOKENS_PAGE = `${ADMIN_BASE}/tokens`;
export const ACTIVITY_PAGE = `${ADMIN_BASE}/tokens/activity`;

/** Which form field an error code belongs to (for inline messages and the API's `field`). */
const FIELD_OF: Record<string, string> = {
  [ErrorCodes.TOKEN_CODE_TAKEN]: 'customCode',
  [ErrorCodes.TOKEN_CODE_INVALID]: 'customCode',
  [ErrorCodes.TOKEN_CODE_TOO_SHORT]: 'customCode',
  [ErrorCodes.TOKEN_NICKNAME_INVALID]: 'nickname',
  [ErrorCodes.TOKEN_EXPIRY_INVALID]: 'expiresOn',
  [ErrorCodes.TOKEN_EXPIRY_IN_PAST]: 'expiresOn',
  [ErrorCodes.TOKEN_MAX_USES_INVALID]: 'maxUses',
  [ErrorCodes.TOKEN_MAX_USES_BELOW_USES]: 'maxUses',
  [ErrorCodes.API_KEY_NAME_INVALID]: 'name',
  [ErrorCodes.KNOWLEDGE_NOT_FOUND]: 'item',
  [ErrorCodes.KNOWLEDGE_LIBRARY_CONTENT]: 'item',
};

export const fieldOf = (code: string): string | undefined => FIELD_OF[code];

// ---- Forms (all fields optional strings; the domain validates meaning) ----------------------------

const text = (max: number) => z.string().max(max).optional();

// Generous limits: lengths are the domain's to judge, with a message; the body itself is capped at 20 kB.
export const tokenFormSchema = z.object({
  nickname: text(2000),
  customCode: text(2000),
  expiresOn: text(200),
  maxUses: text(200),
});
export type TokenForm = z.infer<typeof tokenFormSchema>;

export const apiKeyFormSchema = z.object({ name: text(2000) });
export const switchFormSchema = z.object({ enabled: z.enum(['on', 'off']) });

/** Blank → null; "1,000" or "1 000" → 1000; anything else → NaN, which the domain refuses with a message. */
export function parseMaxUses(raw: string | undefined): number | null | undefined {
  if (raw === undefined) return undefined;
  const cleaned = raw.trim().replace(/[\s,_]/g, '');
  if (cleaned === '') return null;
  return /^\d{1,9}$/.test(cleaned) ? Number(cleaned) : Number.NaN;
}

// ---- Post/redirect/get -------------------------------------------------------------------------------

const FLASH_PREFIX = 'selfreg';

/** Adds flash parameters to a same-origin path, replacing earlier ones; the anchor scrolls to the panel. */
export function withFlash(pathWithQuery: string, params: Record<string, string | undefined>, anchor = 'self-registration'): string {
  const url = new URL(pathWithQuery, 'http://local.invalid');
  for (const k of [...url.searchParams.keys()]) if (k.startsWith(FLASH_PREFIX)) url.searchParams.delete(k);
  for (const [k, v] of Object.entries(params)) if (v !== undefined) url.searchParams.set(k, v);
  return `${url.pathname}${url.search}#${anchor}`;
}

/** The page's own path and query without our flash parameters: where a form on it returns to. */
export function stripFlash(pathWithQuery: string): string {
  const url = new URL(pathWithQuery.split('#')[0]!, 'http://local.invalid');
  for (const k of [...url.searchParams.keys()]) if (k.startsWith(FLASH_PREFIX)) url.searchParams.delete(k);
  return url.pathname + url.search;
}

export interface Flash {
  /** A success message. */
  readonly ok: string | null;
  /** An error message (from the catalogue, keyed by a known code). */
  readonly error: string | null;
  readonly errorCode: string | null;
  /** Which form the outcome belongs to: `create`, `edit-<id>`, `key`. */
  readonly form: string | null;
  readonly field: string | null;
  /** Values the person typed, given back so nothing is lost. */
  readonly values: Record<string, string>;
  readonly tokenId: string | null;
}

/** Reads the flash parameters a redirect added (only known codes and messages: never free text as a message). */
export function readFlash(query: Record<string, unknown>, errorMessage: (code: string) => string, isKnown: (code: unknown) => boolean): Flash {
  const str = (k: string): string | null => (typeof query[k] === 'string' ? (query[k] as string) : null);
  const okKey = str('selfreg');
  const code = str('selfreg_error');
  const values: Record<string, string> = {};
  for (const f of ['nickname', 'customCode', 'expiresOn', 'maxUses', 'name']) {
    const v = str(`selfreg_v_${f}`);
    if (v !== null) values[f] = v.slice(0, 300);
  }
  const form = str('selfreg_form');
  const tokenId = str('selfreg_token');
  return {
    ok: okKey && Object.prototype.hasOwnProperty.call(messages.tokenAdmin.flash, okKey) ? messages.tokenAdmin.flash[okKey]! : null,
    error: code && isKnown(code) ? errorMessage(code) : null,
    errorCode: code && isKnown(code) ? code : null,
    form: form && /^(create|key|edit-\d{1,18})$/.test(form) ? form : null,
    field: code ? fieldOf(code) ?? null : null,
    values,
    tokenId: tokenId && /^\d{1,18}$/.test(tokenId) ? tokenId : null,
  };
}

/** Flash parameters for a refused form: the code, the form, and what was typed (a taken code is not echoed). */
export function refusalFlash(code: string, form: string, values: Record<string, string | undefined>): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = { selfreg_error: code, selfreg_form: form };
  for (const [k, v] of Object.entries(values)) {
    if (v === undefined || v === '') continue;
    if (k === 'customCode' && code === ErrorCodes.TOKEN_CODE_TAKEN) continue; // a live code stays out of URLs and logs
    out[`selfreg_v_${k}`] = v.slice(0, 200);
  }
  return out;
}

// ---- Formatting in the portal's time zone -----------------------------------------------------------

const dateFormats = new Map<string, Intl.DateTimeFormat>();
function fmt(zone: string, withTime: boolean): Intl.DateTimeFormat {
  const timeZone = isValidTimeZone(zone) ? zone : 'UTC';
  const key = `${timeZone}|${withTime}`;
  let f = dateFormats.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', {
      timeZone,
      day: 'numeric',
      month: 'short',
      year: 'numeric',
      ...(withTime && { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' as const }),
    });
    dateFormats.set(key, f);
  }
  return f;
}

export const formatDate = (d: Date, timeZone: string): string => fmt(timeZone, false).format(d);
export const formatDateTime = (d: Date, timeZone: string): string => fmt(timeZone, true).format(d);

/** "30 Jun 2026": the last day a token works, in the portal's time zone. */
export function formatExpiryDay(expiresAt: Date, zone: string): string {
  const timeZone = isValidTimeZone(zone) ? zone : 'UTC';
  const [y, m, d] = expiryDateInZone(expiresAt, timeZone).split('-').map(Number) as [number, number, number];
  return formatDate(new Date(Date.UTC(y, m - 1, d, 12)), 'UTC');
}

export const statusLabel = (status: TokenStatus): string => messages.tokenAdmin.status[status];
export const isTokenStatus = (v: unknown): v is TokenStatus => typeof v === 'string' && (TOKEN_STATUSES as readonly string[]).includes(v);

/** `topic:12` ↔ a reference (how an item travels in query strings). */
export function parseItemParam(value: unknown): KnowledgeRef | null {
  if (typeof value !== 'string') return null;
  const match = /^([a-z]+):([A-Za-z0-9_-]{1,64})$/.exec(value);
  if (!match || !isKnowledgeType(match[1])) return null;
  return { type: match[1], id: match[2]! };
}
export const itemParam = (ref: KnowledgeRef): string => `${ref.type}:${ref.id}`;

export function deepLink(publicBaseUrl: string, code: string | undefined): string {
  return `${publicBaseUrl.replace(/\/+$/, '')}/register/${encodeURIComponent(code ?? '')}`;
}

/** Links into the host that the contract may offer. */
export function hostLinks(access: AccessControlPort) {
  return {
    itemSettings: (ref: KnowledgeRef): string | null => (access.itemSettingsUrl ? access.itemSettingsUrl(ref) : null),
    portalSettings: (): string => (access.portalSettingsUrl ? access.portalSettingsUrl() : TOKENS_PAGE),
  };
}

// ---- Audit entries as sentences -------------------------------------------------------------------

export interface AuditLine {
  readonly id: string;
  readonly when: string;
  readonly iso: string;
  readonly who: string;
  readonly via: string;
  /** The verb phrase, e.g. "renamed". */
  readonly action: string;
  /** The token's nickname snapshot, or null for portal events / tokens without one. */
  readonly subject: string | null;
  readonly isPortal: boolean;
  /** Whether the sentence names the token ("deactivated “Spring fair”"); a rename names both nicknames in `detail`. */
  readonly showSubject: boolean;
  /** What changed, e.g. "from “A” to “B”". */
  readonly detail: string;
  readonly item: KnowledgeRef | null;
}

export function auditLine(entry: AuditEntry, timeZone: string): AuditLine {
  const t = messages.tokenAdmin;
  const d = entry.details;
  const expiry = (v: unknown): string => (typeof v === 'string' ? `the end of ${formatExpiryDay(new Date(v), timeZone)}` : 'never');
  const limit = (v: unknown): string => (typeof v === 'number' ? String(v) : 'unlimited');
  let detail = '';
  switch (entry.action) {
    case 'token.created': {
      const parts = [d.custom ? 'custom code' : 'generated code'];
      if (typeof d.expiresAt === 'string') parts.push(`expires at ${expiry(d.expiresAt)}`);
      if (typeof d.maxUses === 'number') parts.push(`max ${d.maxUses} uses`);
      detail = `(${parts.join(', ')})`;
      break;
    }
    case 'token.renamed':
      detail = `from ${d.from ? `“${d.from}”` : 'no nickname'} to ${d.to ? `“${d.to}”` : 'no nickname'}`;
      break;
    case 'token.expiry_changed':
      detail = `from ${expiry(d.from)} to ${expiry(d.to)}`;
      break;
    case 'token.max_uses_changed':
      detail = `from ${limit(d.from)} to ${limit(d.to)}`;
      break;
    case 'token.deleted': {
      const parts = typeof d.uses === 'number' ? [`used ${d.uses} ${d.uses === 1 ? 'time' : 'times'}`] : [];
      if (d.reason === DELETED_WITH_ITEM) parts.push(t.deletedWithItem);
      detail = parts.length > 0 ? `(${parts.join(', ')})` : '';
      break;
    }
    case 'tokens.imported':
      detail = typeof d.count === 'number' ? `(${d.count} tokens)` : '';
      break;
    default:
      detail = '';
  }
  const via = entry.actor.via === 'api' ? t.via.api(entry.actor.apiKeyName ?? null) : entry.actor.via === 'system' ? t.via.system : '';
  const isPortal = entry.action === 'portal.enabled' || entry.action === 'portal.disabled';
  return {
    id: entry.id,
    when: formatDateTime(entry.at, timeZone),
    iso: entry.at.toISOString(),
    who: entry.actor.name,
    via,
    action: t.audit[entry.action] ?? entry.action,
    subject: isPortal ? null : entry.tokenNickname,
    isPortal,
    showSubject: !isPortal && entry.action !== 'token.renamed' && entry.action !== 'tokens.imported',
    detail,
    item: entry.item,
  };
}

export const itemTypeLabel = (ref: KnowledgeRef): string => knowledgeTypeLabel(ref.type);

/** The portal's facts, with a time zone Intl knows (UTC if the host ever gives an unknown name). */
export async function portalFacts(portal: PortalPort): Promise<PortalInfo> {
  const info = await portal.info();
  return isValidTimeZone(info.timeZone) ? info : { ...info, timeZone: 'UTC' };
}
