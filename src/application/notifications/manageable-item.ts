import { ErrorCodes, refuse, type Refusal } from '../../domain/shared/errors.js';
import { canHaveTokens, type KnowledgeItem, type KnowledgeRef } from '../../domain/shared/knowledge.js';
import { err, type Result } from '../../domain/shared/result.js';
import { canManageTokens, type HostUser } from '../../domain/shared/user.js';
import type { CataloguePort } from '../../domain/ports/catalogue.port.js';

/** The item whose notifications `actor` may see and change: an admin's, on an item that can have tokens. */
export async function manageableItem(catalogue: CataloguePort, actor: HostUser | null, ref: KnowledgeRef): Promise<Result<KnowledgeItem, Refusal>> {
  if (!canManageTokens(actor)) return err(refuse(ErrorCodes.PERMISSION_DENIED));
  const item = canHaveTokens(await catalogue.get(ref));
  return item.ok ? item : err(refuse(item.error.code));
}
