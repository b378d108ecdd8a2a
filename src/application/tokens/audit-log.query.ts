import type { Refusal } from '../../domain/shared/errors.js';
import type { AuditEntry } from '../../domain/audit/audit.js';
import type { KnowledgeRef } from '../../domain/shared/knowledge.js';
import { ok, type Result } from '../../domain/shared/result.js';
import type { HostUser } from '../../domain/shared/user.js';
import type { AuditRepository } from '../../domain/ports/audit-repository.port.js';
import { PERMISSION_IDS, type PermissionsPort } from '../../domain/ports/permissions.port.js';
import { nextBefore, pageSize } from './page-size.js';
import { denied } from './token-refusals.js';

export interface AuditLogInput {
  readonly item?: KnowledgeRef;
  readonly tokenId?: string;
  readonly limit?: number;
  readonly beforeId?: string;
}

export interface ActivityResult {
  readonly entries: readonly AuditEntry[];
  readonly nextBeforeId: string | null;
}

/** The audit log, newest first: of one item, of one token, or of the whole portal. */
export class AuditLogQuery {
  constructor(
    private readonly permissions: PermissionsPort,
    private readonly audit: AuditRepository,
  ) {}

  async execute(actor: HostUser | null, query: AuditLogInput = {}): Promise<Result<ActivityResult, Refusal>> {
    if (!this.permissions.allows(PERMISSION_IDS.tokensManage, actor)) return denied();
    const page = await this.audit.list({
      limit: pageSize(query.limit),
      ...(query.item && { item: query.item }),
      ...(query.tokenId && { tokenId: query.tokenId }),
      ...(query.beforeId && { beforeId: query.beforeId }),
    });
    return ok({ entries: page.entries, nextBeforeId: nextBefore(page.entries, page.hasMore) });
  }
}
