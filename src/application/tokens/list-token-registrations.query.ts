import type { Refusal } from '../../domain/shared/errors.js';
import type { KnowledgeRef } from '../../domain/shared/knowledge.js';
import { ok, type Result } from '../../domain/shared/result.js';
import type { HostUser, UserType } from '../../domain/shared/user.js';
import type { UsersPort } from '../../domain/ports/users.port.js';
import type { TokenAdminRepository } from '../../domain/ports/token-admin-repository.port.js';
import type { TokenRegistrationQuery } from '../../domain/ports/token-registration-query.port.js';
import { PERMISSION_IDS, type PermissionsPort } from '../../domain/ports/permissions.port.js';
import { usersById } from '../shared/batch-lookups.js';
import { nextBefore, pageSize } from './page-size.js';
import { denied, notFound } from './token-refusals.js';

export interface RegistrantView {
  readonly id: string;
  readonly at: Date;
  readonly newUser: boolean;
  readonly item: KnowledgeRef;
  readonly tokenNickname: string | null;
  /** The person as the host knows them now; null when the account has been deleted. */
  readonly user: { readonly id: string; readonly email: string; readonly firstName: string; readonly lastName: string; readonly type: UserType } | null;
}

export interface RegistrationsResult {
  readonly registrations: readonly RegistrantView[];
  readonly total: number;
  readonly nextBeforeId: string | null;
}

/** The people who registered with a token, newest first, as the host knows them now. */
export class ListTokenRegistrationsQuery {
  constructor(
    private readonly permissions: PermissionsPort,
    private readonly tokens: TokenAdminRepository,
    private readonly registrations: TokenRegistrationQuery,
    private readonly users: UsersPort,
  ) {}

  async execute(actor: HostUser | null, tokenId: string, query: { limit?: number; beforeId?: string } = {}): Promise<Result<RegistrationsResult, Refusal>> {
    if (!this.permissions.allows(PERMISSION_IDS.tokensManage, actor)) return denied();
    const token = await this.tokens.findById(tokenId);
    if (!token) return notFound();
    // Each use of a token is one registration with it: its uses are the total, without counting them.
    const page = await this.registrations.listForToken(tokenId, { limit: pageSize(query.limit), knownTotal: token.uses, ...(query.beforeId && { beforeId: query.beforeId }) });
    const people = await usersById(this.users, page.registrations.map((r) => r.userId));
    const registrations = page.registrations.map((r) => {
      const u = people.get(r.userId) ?? null;
      return { ...r, user: u && { id: u.id, email: u.email, firstName: u.firstName, lastName: u.lastName, type: u.type } };
    });
    return ok({ registrations, total: page.total, nextBeforeId: nextBefore(page.registrations, page.hasMore) });
  }
}
