import type { Refusal } from '../../domain/shared/errors.js';
import { ErrorCodes, refuse } from '../../domain/shared/errors.js';
import { err, ok, type Result } from '../../domain/shared/result.js';
import type { PlannedRow } from '../../domain/tokens/token-import.js';
import type { HostUser } from '../../domain/shared/user.js';
import type { ImportSummary, TokenImportStore } from '../../domain/ports/token-import-store.port.js';
import type { TokenBulkRepository } from '../../domain/ports/token-bulk-repository.port.js';
import { PERMISSION_IDS, type PermissionsPort } from '../../domain/ports/permissions.port.js';
import { denied } from '../tokens/token-refusals.js';

export interface ImportResults {
  readonly summary: ImportSummary;
  /** Every planned row in file order, a chunk at a time; after the apply, with the codes of the tokens created. */
  readonly chunks: () => AsyncIterable<readonly (PlannedRow & { readonly createdCode?: string })[]>;
}

/** A dry run or an applied import as its page and its results file show it. */
export class TokenImportResultsQuery {
  constructor(
    private readonly permissions: PermissionsPort,
    private readonly store: TokenImportStore,
    private readonly bulk: TokenBulkRepository,
  ) {}

  async execute(actor: HostUser | null, id: string): Promise<Result<ImportResults, Refusal>> {
    if (!this.permissions.allows(PERMISSION_IDS.tokensManage, actor)) return denied();
    const summary = await this.store.find(id);
    if (!summary) return err(refuse(ErrorCodes.IMPORT_NOT_FOUND));
    const { store, bulk } = this;
    async function* chunks() {
      for await (const chunk of store.chunks(id)) {
        // The tokens an applied import created remember its id and their line.
        const lines = summary!.state === 'applied' ? chunk.rows.filter((r) => r.action === 'create').map((r) => r.line) : [];
        const made = new Map((lines.length > 0 ? await bulk.findImported([id], lines) : []).map((f) => [f.line, f.token]));
        yield chunk.rows.map((r) => {
          const token = made.get(r.line);
          return token ? { ...r, tokenId: token.id, ...(token.code && { createdCode: token.code }) } : r;
        });
      }
    }
    return ok({ summary, chunks });
  }
}
