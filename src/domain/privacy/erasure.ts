import { SYSTEM_ACTOR, type NewAuditEntry } from '../audit/audit.js';

/*
 * Erasure of a person: when the host deletes an account (`user.deleted`) or erases its personal data
 * (`user.erased`, contract 1.1), nothing the plugin holds may still name them. The plugin cannot ask
 * the host who they were (the account is gone or already anonymised), so it first gathers what its
 * own tables know of them (their emails and names, under their user id), then every holder erases
 * by id and by those emails, in one transaction.
 */

/** The person to forget, as the plugin's own records knew them. */
export interface ErasureSubject {
  readonly userId: string;
  /** Every address the plugin's records hold for them, lower-cased. */
  readonly emails: readonly string[];
  /** Every name the plugin's records hold for them (first, last, and full display names). */
  readonly names: readonly string[];
}

/** What one holder knows of the person, read before anything is erased. */
export interface KnownIdentity {
  readonly emails: readonly string[];
  readonly names: readonly string[];
}

/** How the records that outlive an erased person (audit entries, token creators) name them. */
export const ERASED_NAME = 'Erased user';

/** What an erased person's registrations hold as their user id: `erased:<registration id>`, no host id. */
export const ERASED_USER_PREFIX = 'erased:';

export const isErasedUserId = (userId: string): boolean => userId.startsWith(ERASED_USER_PREFIX);

/** Stands for the person where a column must hold something (an API key's owner): no id, nothing to trace back. */
export const ERASED_ID = 'erased';

/** The subject gathered from every holder's view: addresses de-duplicated ignoring case, blank values dropped. */
export function erasureSubject(userId: string, known: readonly KnownIdentity[]): ErasureSubject {
  const emails = new Set<string>();
  const names = new Set<string>();
  for (const k of known) {
    for (const e of k.emails) if (e && e.trim()) emails.add(e.trim().toLowerCase());
    for (const n of k.names) if (n && n.trim() && n.trim() !== ERASED_NAME) names.add(n.trim());
  }
  return { userId, emails: [...emails].sort(), names: [...names].sort() };
}

/** What an erasure changed, per holder (rows removed or anonymised): for the log, never naming the person. */
export type ErasureCounts = Readonly<Record<string, number>>;

/**
 * The audit entry that an erasure happened (by the system, on the host's event): how many rows it
 * changed, and how many registrations stay counted without the person — never who it was.
 */
export function erasedEntry(reason: 'deleted' | 'erased', counts: ErasureCounts, at: Date): NewAuditEntry {
  const rows = Object.values(counts).reduce((a, b) => a + b, 0);
  return { at, action: 'person.erased', actor: SYSTEM_ACTOR, tokenId: null, tokenNickname: null, item: null, details: { reason, rows, registrations: counts.registrations ?? 0 } };
}
