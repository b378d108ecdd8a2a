/*
 * The audit log of token management: who did what to which token, when, and through what (a
 * settings panel, the JSON API with a named key, or the system). Entries outlive their token: they
 * keep a snapshot of its nickname and item, never its code.
 */
import type { KnowledgeRef } from '../shared/knowledge.js';
import type { Token, TokenPatch } from '../tokens/token.js';
import type { HostUser } from '../shared/user.js';

export const AUDIT_ACTIONS = [
  'token.created',
  'token.renamed',
  'token.expiry_changed',
  'token.max_uses_changed',
  'token.disabled',
  'token.enabled',
  'token.deleted',
  'token.copied',
  'tokens.imported',
  'batch.created',
  'batch.disabled',
  'batch.enabled',
  'batch.deleted',
  'portal.enabled',
  'portal.disabled',
  'apikey.created',
  'apikey.revoked',
  'branding.changed',
  'notifications.changed',
  'notifications.copied',
  'person.erased',
  'webhook.created',
  'webhook.changed',
  'webhook.disabled',
  'webhook.enabled',
  'webhook.deleted',
  'webhook.secret_rotated',
  'rule.created',
  'rule.changed',
  'rule.enabled',
  'rule.disabled',
  'rule.deleted',
  'rule.applied',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export const isAuditAction = (value: unknown): value is AuditAction => typeof value === 'string' && (AUDIT_ACTIONS as readonly string[]).includes(value);

/** Through what an action came: an admin in a settings panel, an API key, or the plugin itself. */
export type AuditChannel = 'panel' | 'api' | 'system';

export interface AuditActor {
  /** The host user's id (for an API key: the key's owner). Null for the system. */
  readonly id: string | null;
  /** Display name at the time of the action. */
  readonly name: string;
  readonly via: AuditChannel;
  readonly apiKeyId?: string | null;
  readonly apiKeyName?: string | null;
}

/** Plain JSON: ISO dates as strings, numbers, booleans, null. */
export type AuditDetails = Readonly<Record<string, string | number | boolean | null>>;

export interface NewAuditEntry {
  readonly at: Date;
  readonly action: AuditAction;
  readonly actor: AuditActor;
  readonly tokenId: string | null;
  /** Snapshot of the token's nickname when the action happened (never its code). */
  readonly tokenNickname: string | null;
  readonly item: KnowledgeRef | null;
  readonly details: AuditDetails;
}

export interface AuditEntry extends NewAuditEntry {
  readonly id: string;
}

/** How a person is named in the log and the panels: first and last name, else their email. */
export function displayName(user: Pick<HostUser, 'firstName' | 'lastName' | 'email'>): string {
  const name = `${user.firstName ?? ''} ${user.lastName ?? ''}`.replace(/\s+/g, ' ').trim();
  return (name || user.email || 'Unknown').slice(0, 200);
}

/** How a request reached a use case: a settings panel (the default) or an API key. */
export type Channel = { readonly via: 'panel' } | { readonly via: 'api'; readonly apiKeyId: string; readonly apiKeyName: string };

export const PANEL: Channel = { via: 'panel' };

export function auditActor(user: HostUser, channel: Channel = PANEL): AuditActor {
  return channel.via === 'api'
    ? { id: user.id, name: displayName(user), via: 'api', apiKeyId: channel.apiKeyId, apiKeyName: channel.apiKeyName }
    : { id: user.id, name: displayName(user), via: 'panel' };
}

const iso = (d: Date | null | undefined): string | null => (d ? d.toISOString() : null);

/** The entry for a newly created token. */
export function createdEntry(token: Token, actor: AuditActor, at: Date): NewAuditEntry {
  return {
    at,
    action: 'token.created',
    actor,
    tokenId: token.id,
    tokenNickname: token.nickname,
    item: token.item,
    details: { custom: token.custom, expiresAt: iso(token.expiresAt), maxUses: token.maxUses },
  };
}

/** One entry per kind of change in `changes` (as returned by planTokenChange), in a stable order. */
export function changeEntries(before: Token, changes: TokenPatch, actor: AuditActor, at: Date): NewAuditEntry[] {
  const nickname = changes.nickname !== undefined ? changes.nickname : before.nickname;
  const base = { at, actor, tokenId: before.id, tokenNickname: nickname, item: before.item };
  const out: NewAuditEntry[] = [];
  if (changes.nickname !== undefined) out.push({ ...base, action: 'token.renamed', details: { from: before.nickname, to: changes.nickname } });
  if (changes.expiresAt !== undefined) out.push({ ...base, action: 'token.expiry_changed', details: { from: iso(before.expiresAt), to: iso(changes.expiresAt) } });
  if (changes.maxUses !== undefined) out.push({ ...base, action: 'token.max_uses_changed', details: { from: before.maxUses, to: changes.maxUses } });
  if (changes.enabled !== undefined) out.push({ ...base, action: changes.enabled ? 'token.enabled' : 'token.disabled', details: {} });
  return out;
}

export function deletedEntry(token: Token, actor: AuditActor, at: Date): NewAuditEntry {
  return { at, action: 'token.deleted', actor, tokenId: token.id, tokenNickname: token.nickname, item: token.item, details: { uses: token.uses } };
}

/** The plugin itself, acting on a host event rather than on someone's request. */
export const SYSTEM_ACTOR: AuditActor = { id: null, name: 'System', via: 'system' };

/** Why the system deleted a token (`details.reason` of a `token.deleted` entry). */
export const DELETED_WITH_ITEM = 'item_deleted';

/**
 * One `token.deleted` entry per token destroyed because the host deleted its item: by the system,
 * with the nickname snapshot (never the code) and `reason: 'item_deleted'`.
 */
export function deletedWithItemEntries(tokens: readonly Token[], at: Date): NewAuditEntry[] {
  return tokens.map((token) => {
    const entry = deletedEntry(token, SYSTEM_ACTOR, at);
    return { ...entry, details: { ...entry.details, reason: DELETED_WITH_ITEM } };
  });
}

export function portalSwitchEntry(enabled: boolean, actor: AuditActor, at: Date): NewAuditEntry {
  return { at, action: enabled ? 'portal.enabled' : 'portal.disabled', actor, tokenId: null, tokenNickname: null, item: null, details: {} };
}

/** The one entry of an applied CSV import (each token it created or changed has its own entries too). */
export function importedEntry(
  fileName: string,
  importId: string,
  counts: { create: number; update: number; unchanged: number },
  actor: AuditActor,
  at: Date,
): NewAuditEntry {
  return {
    at, action: 'tokens.imported', actor, tokenId: null, tokenNickname: null, item: null,
    details: { importId, fileName: fileName.slice(0, 200), created: counts.create, updated: counts.update, unchanged: counts.unchanged },
  };
}

/** The entry of something done to a whole batch of codes (one entry, not one per code). */
export function batchEntry(
  action: 'batch.created' | 'batch.disabled' | 'batch.enabled' | 'batch.deleted',
  batch: { id: string; item: KnowledgeRef; nickname: string | null },
  count: number,
  actor: AuditActor,
  at: Date,
): NewAuditEntry {
  return { at, action, actor, tokenId: null, tokenNickname: batch.nickname, item: batch.item, details: { batchId: batch.id, count } };
}
