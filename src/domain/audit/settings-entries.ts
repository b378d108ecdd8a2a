/*
 * Audit entries for what admins change beside tokens: API keys, the registration page's branding
 * and an item's notification settings. Like every entry they name no secret (a key's hint, never
 * the key) and no recipient address.
 */
import type { ApiKey } from '../api-keys/api-key.js';
import type { KnowledgeRef } from '../shared/knowledge.js';
import type { AuditActor, NewAuditEntry } from './audit.js';

export function apiKeyEntry(action: 'apikey.created' | 'apikey.revoked', key: Pick<ApiKey, 'name' | 'hint'>, actor: AuditActor, at: Date): NewAuditEntry {
  return { at, action, actor, tokenId: null, tokenNickname: null, item: null, details: { name: key.name, hint: key.hint } };
}

/** `fields`: the branding fields whose value changed, by name. */
export function brandingEntry(fields: readonly string[], actor: AuditActor, at: Date): NewAuditEntry {
  return { at, action: 'branding.changed', actor, tokenId: null, tokenNickname: null, item: null, details: { fields: fields.join(', ') } };
}

export function notificationsEntry(item: KnowledgeRef, after: { enabled: boolean; mode: string; recipients: number }, actor: AuditActor, at: Date): NewAuditEntry {
  return { at, action: 'notifications.changed', actor, tokenId: null, tokenNickname: null, item, details: { enabled: after.enabled, mode: after.mode, recipients: after.recipients } };
}

export type WebhookAuditAction = 'webhook.created' | 'webhook.changed' | 'webhook.disabled' | 'webhook.enabled' | 'webhook.deleted' | 'webhook.secret_rotated';

/** An endpoint's address, never its secret; `reason` when the plugin disabled it itself. */
export function webhookEntry(action: WebhookAuditAction, endpoint: { readonly url: string }, actor: AuditActor, at: Date, reason: string | null = null): NewAuditEntry {
  return { at, action, actor, tokenId: null, tokenNickname: null, item: null, details: { url: endpoint.url, ...(reason && { reason }) } };
}
