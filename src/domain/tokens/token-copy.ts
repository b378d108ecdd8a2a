/*
 * Tokens of a cloned item: the copy gets each of the source's tokens as a disabled draft with a new
 * generated code, the same nickname marked "(copy)", the same expiry and max uses, and no uses —
 * never a live code, never the source's usage. Batches of codes are not copied (printed handouts
 * belong to the source; a new batch is one click in the copy's panel).
 */
import type { NewAuditEntry } from '../audit/audit.js';
import { SYSTEM_ACTOR } from '../audit/audit.js';
import type { NotificationSettings } from '../notifications/notification-settings.js';
import type { KnowledgeRef } from '../shared/knowledge.js';
import { NICKNAME_MAX_LENGTH, type Token } from './token.js';

export const COPY_MARK = ' (copy)';

/** The copy's nickname: the source's marked "(copy)", within the nickname's length; "Copy" for a token without one. */
export function copyNickname(nickname: string | null): string {
  if (!nickname) return 'Copy';
  if (nickname.endsWith(COPY_MARK)) return nickname;
  return `${nickname.slice(0, NICKNAME_MAX_LENGTH - COPY_MARK.length).trimEnd()}${COPY_MARK}`;
}

/** What a copy of `source` is, before it gets its code. */
export interface TokenCopy {
  readonly source: Token;
  readonly nickname: string;
  readonly expiresAt: Date | null;
  readonly maxUses: number | null;
}

/**
 * The copies still to make: one per source token not copied yet (an `item.cloned` delivered twice
 * copies nothing twice). An expired token is copied too, expiry and all: the copy is a draft the
 * admin sees whole, and gives a new expiry before reactivating it.
 */
export function planTokenCopies(sources: readonly Token[], alreadyCopied: ReadonlySet<string>): TokenCopy[] {
  return sources
    .filter((t) => !alreadyCopied.has(t.id))
    .map((source) => ({ source, nickname: copyNickname(source.nickname), expiresAt: source.expiresAt, maxUses: source.maxUses }));
}

const refText = (ref: KnowledgeRef): string => `${ref.type}:${ref.id}`;

/** The audit entry of one copy: by the system, because the item was cloned, naming the source token (never a code). */
export function copiedEntry(copy: Token, source: Token, from: KnowledgeRef, at: Date): NewAuditEntry {
  return {
    at, action: 'token.copied', actor: SYSTEM_ACTOR, tokenId: copy.id, tokenNickname: copy.nickname, item: copy.item,
    details: { fromTokenId: source.id, fromNickname: source.nickname, fromItem: refText(from), expiresAt: copy.expiresAt ? copy.expiresAt.toISOString() : null, maxUses: copy.maxUses },
  };
}

/** The audit entry of the notification settings copied to a clone (recipients counted, never listed). */
export function notificationsCopiedEntry(item: KnowledgeRef, from: KnowledgeRef, settings: NotificationSettings, at: Date): NewAuditEntry {
  return {
    at, action: 'notifications.copied', actor: SYSTEM_ACTOR, tokenId: null, tokenNickname: null, item,
    details: { fromItem: refText(from), enabled: settings.enabled, mode: settings.mode, recipients: settings.stakeholders.length },
  };
}
