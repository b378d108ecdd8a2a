import type { UserType } from './user.js';
import { err, ok, type Result } from './result.js';
import { ErrorCodes, refuse, type Refusal } from './errors.js';

export const KNOWLEDGE_TYPES = ['topic', 'article', 'pathway'] as const;
export type KnowledgeType = (typeof KNOWLEDGE_TYPES)[number];

/** Where an item came from: made by the organisation, or imported from the host's library. */
export type KnowledgeOrigin = 'own' | 'library';

/** Identifies a topic, article or pathway. Ids are the host's, as strings. */
export interface KnowledgeRef {
  readonly type: KnowledgeType;
  readonly id: string;
}

export interface KnowledgeItem {
  readonly ref: KnowledgeRef;
  readonly title: string;
  readonly origin: KnowledgeOrigin;
  /** Absolute path or URL where an enrolled learner opens the item. */
  readonly learnerUrl: string;
  /** Optional (1.1): the user types the item is opened to for self-enrolment; null or absent when it is not. */
  readonly selfEnrolment?: { readonly openTo: readonly UserType[] } | null;
}

export function isKnowledgeType(value: unknown): value is KnowledgeType {
  return typeof value === 'string' && (KNOWLEDGE_TYPES as readonly string[]).includes(value);
}

export function sameItem(a: KnowledgeRef, b: KnowledgeRef): boolean {
  return a.type === b.type && a.id === b.id;
}

/** Tokens exist only for the organisation's own content, never for library imports. */
export function canHaveTokens(
  item: KnowledgeItem | null,
): Result<KnowledgeItem, Refusal<typeof ErrorCodes.KNOWLEDGE_NOT_FOUND | typeof ErrorCodes.KNOWLEDGE_LIBRARY_CONTENT>> {
  if (!item) return err(refuse(ErrorCodes.KNOWLEDGE_NOT_FOUND));
  if (item.origin === 'library') {
    return err(refuse(ErrorCodes.KNOWLEDGE_LIBRARY_CONTENT));
  }
  return ok(item);
}

export const knowledgeTypeLabel = (type: KnowledgeType): string =>
  ({ topic: 'Topic', article: 'Article', pathway: 'Pathway' })[type];
