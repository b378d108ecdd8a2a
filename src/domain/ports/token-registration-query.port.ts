import type { TokenRegistration } from '../tokens/token-registration.js';

/** Read side of the registrations made with a token. */
export interface TokenRegistrationQuery {
  listForToken(tokenId: string, page: { limit: number; beforeId?: string; knownTotal?: number }): Promise<{ registrations: TokenRegistration[]; total: number; hasMore: boolean }>;
}
