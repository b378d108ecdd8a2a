import type { KnowledgeRef } from '../../domain/shared/knowledge.js';
import type { RegistrationReportRow } from '../../domain/reports/registration-report.js';
import type { RegistrationReportPort } from '../../domain/ports/registration-report.port.js';
import type { TokenAdminRepository } from '../../domain/ports/token-admin-repository.port.js';

/** The ids of the columns and the filter the plugin adds to a host's item reports. */
export const CONTRIBUTED_COLUMNS = ['registeredThrough', 'registeredAt', 'account', 'campaign'] as const;
export const TOKEN_FILTER = 'selfregToken';
/** The host asks for at most this many users at once (the contract's page bound). */
export const MAX_USERS_PER_CALL = 1000;

export interface ItemTokenOption {
  readonly id: string;
  readonly nickname: string | null;
  readonly code: string | null;
}

/**
 * The plugin's share of a host's item reports: the item's tokens to filter by, each listed user's
 * registration (the newest in the item, when several), and the users a chosen token brought. The
 * host asks on screen and in its CSV alike; a user who did not come through a token has no row.
 */
export class ItemReportColumns {
  constructor(
    private readonly tokens: TokenAdminRepository,
    private readonly registrations: RegistrationReportPort,
  ) {}

  async tokenOptions(item: KnowledgeRef): Promise<ItemTokenOption[]> {
    return (await this.tokens.listForItem(item)).map((t) => ({ id: t.id, nickname: t.nickname, code: t.code ?? null }));
  }

  async registrationsOf(item: KnowledgeRef, userIds: readonly string[]): Promise<Map<string, RegistrationReportRow>> {
    const out = new Map<string, RegistrationReportRow>();
    const ids = [...new Set(userIds)];
    for (let i = 0; i < ids.length; i += MAX_USERS_PER_CALL) {
      for (const row of await this.registrations.forUsers(item, ids.slice(i, i + MAX_USERS_PER_CALL))) if (!out.has(row.userId)) out.set(row.userId, row);
    }
    return out;
  }

  /** Null when the token filter is not chosen; the users it keeps otherwise (none for a token of another item). */
  async usersMatching(item: KnowledgeRef, chosen: Readonly<Record<string, string>>): Promise<string[] | null> {
    const tokenId = chosen[TOKEN_FILTER];
    if (!tokenId) return null;
    return this.registrations.usersThrough(item, tokenId);
  }
}
