/* How an audit entry reads in the panels and on the Activity page: a sentence in parts, times in the portal's zone. */
import { DELETED_WITH_ITEM, type AuditEntry } from '../../../domain/audit/audit.js';
import type { KnowledgeRef } from '../../../domain/shared/knowledge.js';
import { messages } from './messages.js';
import { formatDateTime, formatExpiryDay } from '../admin/portal-time-format.js';

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
      if (typeof d.maxUses === 'number') parts.push(`max ${d.maxUses} ${d.maxUses === 1 ? 'use' : 'uses'}`);
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
    case 'token.copied':
      detail = `(of ${d.fromNickname ? `“${String(d.fromNickname)}”` : 'a token without a nickname'}, with a new code, when the item was cloned)`;
      break;
    case 'notifications.copied':
      detail = d.enabled === false ? '(off)' : `(on, ${d.mode === 'digest' ? 'daily digest' : 'each registration'}, ${Number(d.recipients)} ${Number(d.recipients) === 1 ? 'recipient' : 'recipients'})`;
      break;
    case 'person.erased': {
      const n = Number(d.registrations ?? 0);
      detail = `(${d.reason === 'erased' ? 'their personal data was erased in the host' : 'their account was deleted in the host'}; ${Number(d.rows ?? 0)} rows changed, ${n} ${n === 1 ? 'registration' : 'registrations'} kept without them)`;
      break;
    }
    case 'tokens.imported':
      detail = `“${String(d.fileName ?? '')}” (${Number(d.created ?? 0)} created, ${Number(d.updated ?? 0)} updated, ${Number(d.unchanged ?? 0)} unchanged)`;
      break;
    case 'batch.created':
    case 'batch.disabled':
    case 'batch.enabled':
    case 'batch.deleted':
      detail = `(${Number(d.count ?? 0)} codes)`;
      break;
    case 'apikey.created':
    case 'apikey.revoked':
      detail = `“${String(d.name ?? '')}” (${String(d.hint ?? '')}…)`;
      break;
    case 'webhook.created':
    case 'webhook.changed':
    case 'webhook.disabled':
    case 'webhook.enabled':
    case 'webhook.deleted':
    case 'webhook.secret_rotated':
      detail = `${String(d.url ?? '')}${typeof d.reason === 'string' && d.reason ? ` (${d.reason})` : ''}`;
      break;
    case 'branding.changed':
      detail = typeof d.fields === 'string' && d.fields ? `(${d.fields})` : '';
      break;
    case 'notifications.changed':
      detail = d.enabled === false ? '(now off)' : `(on, ${d.mode === 'digest' ? 'daily digest' : 'each registration'}, ${Number(d.recipients)} ${Number(d.recipients) === 1 ? 'recipient' : 'recipients'})`;
      break;
    case 'rule.created':
    case 'rule.changed':
    case 'rule.enabled':
    case 'rule.disabled':
    case 'rule.deleted':
      detail = `“${String(d.name ?? '')}”${typeof d.summary === 'string' && d.summary ? ` (${d.summary})` : ''}`;
      break;
    case 'rule.applied':
      detail = `“${String(d.name ?? '')}” (${Number(d.created ?? 0)} ${Number(d.created) === 1 ? 'enrolment' : 'enrolments'} made)`;
      break;
    default:
      detail = '';
  }
  const via = entry.actor.via === 'api' ? t.via.api(entry.actor.apiKeyName ?? null) : entry.actor.via === 'system' ? t.via.system : '';
  // Portal-wide entries name no token: the switch, API keys, the registration page.
  const isPortal = entry.tokenId === null && entry.item === null;
  return {
    id: entry.id,
    when: formatDateTime(entry.at, timeZone),
    iso: entry.at.toISOString(),
    who: entry.actor.name,
    via,
    action: t.audit[entry.action] ?? entry.action,
    subject: isPortal ? null : entry.tokenNickname,
    isPortal,
    showSubject: !isPortal && entry.action !== 'token.renamed' && entry.action !== 'tokens.imported' && entry.action !== 'notifications.changed' && entry.action !== 'notifications.copied' && !(entry.action === 'batch.created' && !entry.tokenNickname),
    detail,
    item: entry.item,
  };
}
