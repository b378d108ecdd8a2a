import { KNOWLEDGE_TYPES, type KnowledgeType } from '../src/contract/index.js';

/** The sandbox's own reading of item types, from the contract's list. */
export const isKnowledgeType = (value: unknown): value is KnowledgeType =>
  typeof value === 'string' && (KNOWLEDGE_TYPES as readonly string[]).includes(value);

export const knowledgeTypeLabel = (type: KnowledgeType): string => ({ topic: 'Topic', article: 'Article', pathway: 'Pathway' })[type];
