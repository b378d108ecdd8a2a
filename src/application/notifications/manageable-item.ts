import { ErrorCodes, refuse, type Refusal } from '../../domain/shared/errors.js';
import { canHaveTokens, type KnowledgeItem, type KnowledgeRef } from '../../domain/shared/knowledge.js';
import { err, type Result } from '../../domain/shared/result.js';
import type { HostUser } from '../../domain/shared/user.js';
import type { CataloguePort } from '../../domain/ports/catalogue.port.js';
import { PERMISSION_IDS, type PermissionsPort } from '../../domain/ports/permissions.port.js';

/**
 * The item whose notifications `actor` may see and change: one holding tokens.manage (the people who
 * share the item's tokens), on an item that can have tokens.
 */
export async function manageableItem(
  permissions: PermissionsPort,
  catalogue: CataloguePort,
  actor: HostUser | null,
  ref: KnowledgeRef,
): Promise<Result<KnowledgeItem, Refusal>> {
  if (!permissions.allows(PERMISSION_IDS.tokensManage, actor)) return err(refuse(ErrorCodes.PERMISSION_DENIED));
  const item = canHaveTokens(await catalogue.get(ref));
  return item.ok ? item : err(refuse(item.error.code));
}
