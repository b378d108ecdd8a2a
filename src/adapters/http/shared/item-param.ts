import { isKnowledgeType, type KnowledgeRef } from '../../../domain/shared/knowledge.js';

/** `topic:12` → a reference (how an item travels in query strings); null when it is not one. */
export function parseItemParam(value: unknown): KnowledgeRef | null {
  if (typeof value !== 'string') return null;
  const match = /^([a-z]+):([A-Za-z0-9_-]{1,64})$/.exec(value);
  if (!match || !isKnowledgeType(match[1])) return null;
  return { type: match[1], id: match[2]! };
}

/** A reference → `topic:12`. */
export const itemParam = (ref: KnowledgeRef): string => `${ref.type}:${ref.id}`;
