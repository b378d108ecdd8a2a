import type { KnowledgeRef } from '../shared/knowledge.js';

export interface TokenRegistration {
  readonly id: string;
  readonly userId: string;
  readonly newUser: boolean;
  readonly at: Date;
  readonly item: KnowledgeRef;
  readonly tokenNickname: string | null;
}
