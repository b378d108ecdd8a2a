import { ErrorCodes, refuse, type Refusal } from '../../domain/shared/errors.js';
import { err, ok, type Result } from '../../domain/shared/result.js';
import type { Token } from '../../domain/tokens/token.js';
import type { HostUser } from '../../domain/shared/user.js';
import type { TokenBatch, TokenBatchRepository } from '../../domain/ports/token-bulk-repository.port.js';
import { PERMISSION_IDS, type PermissionsPort } from '../../domain/ports/permissions.port.js';
import { denied } from '../tokens/token-refusals.js';

/** A batch and its codes, a page at a time (for its CSV and its printable sheet of QR codes). */
export class TokenBatchCodesQuery {
  constructor(
    private readonly permissions: PermissionsPort,
    private readonly batches: TokenBatchRepository,
  ) {}

  async execute(actor: HostUser | null, id: string): Promise<Result<{ batch: TokenBatch; tokens: () => AsyncIterable<Token[]> }, Refusal>> {
    if (!this.permissions.allows(PERMISSION_IDS.tokensManage, actor)) return denied();
    const batch = await this.batches.find(id);
    if (!batch) return err(refuse(ErrorCodes.BATCH_NOT_FOUND));
    return ok({ batch, tokens: () => this.batches.tokens(id) });
  }
}
