import type { KnowledgeRef } from '../shared/knowledge.js';

/** An enrolment made through a token: what admin notifications and reports are told. */
export interface ExternalEnrolment {
  readonly user: { readonly id: string; readonly email: string; readonly firstName: string; readonly lastName: string };
  readonly newUser: boolean;
  readonly item: { readonly ref: KnowledgeRef; readonly title: string };
  readonly tokenId: string;
  readonly tokenNickname: string | null;
  readonly at: Date;
}
