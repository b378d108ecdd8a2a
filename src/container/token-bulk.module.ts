import { ContainerModule, type ServiceIdentifier } from 'inversify';
import { TYPES } from '../types.js';
import type { ChangeSignal } from '../application/shared/read-cache.js';
import { invalidatingOnWrite } from '../application/shared/read-cache.js';
import { DryRunTokenImportUseCase } from '../application/token-imports/dry-run-token-import.use-case.js';
import { ApplyTokenImportUseCase } from '../application/token-imports/apply-token-import.use-case.js';
import { TokenImportResultsQuery } from '../application/token-imports/token-import-results.query.js';
import { CreateTokenBatchUseCase } from '../application/token-batches/create-token-batch.use-case.js';
import { ChangeTokenBatchUseCase } from '../application/token-batches/change-token-batch.use-case.js';
import { TokenBatchCodesQuery } from '../application/token-batches/token-batch-codes.query.js';
import { ExportTokensQuery } from '../application/tokens/export-tokens.query.js';
import { ItemTokenListQuery } from '../application/tokens/item-token-list.query.js';
import { TokenViews } from '../application/tokens/token-view.js';
import type { TokenBatchRepository, TokenBulkRepository } from '../domain/ports/token-bulk-repository.port.js';
import { KnexTokenBulkRepository } from '../adapters/persistence/token-bulk.repository.js';
import { KnexTokenBatchRepository } from '../adapters/persistence/token-batch.repository.js';
import { KnexTokenImportStore } from '../adapters/persistence/token-import.store.js';

type Use = <T>(id: ServiceIdentifier<T>, make: (...deps: never[]) => T, deps: ServiceIdentifier[]) => void;

/**
 * Tokens in bulk: the stores of imports, batches and set-based token writes (whose writes drop the
 * public pages' caches like any token write), and the use cases of CSV imports, batches and exports.
 * Their HTTP contributions are listed with the other token routes (tokens.module.ts), in mount order.
 */
export const tokenBulkModule = new ContainerModule(({ bind, onActivation }) => {
  const use: Use = (id, make, deps) => bind(id).toResolvedValue(make as never, deps as never).inSingletonScope();
  const P = TYPES.Permissions;
  bind(TYPES.TokenBulkRepository).to(KnexTokenBulkRepository).inSingletonScope();
  bind(TYPES.TokenBatchRepository).to(KnexTokenBatchRepository).inSingletonScope();
  bind(TYPES.TokenImportStore).to(KnexTokenImportStore).inSingletonScope();
  const reads = ['findByIds', 'findByCodes', 'findImported', 'lockByIds', 'takenCodes', 'pageOfItem', 'find', 'tokens', 'summariesForItem'];
  onActivation<TokenBulkRepository>(TYPES.TokenBulkRepository, (ctx, repo) => invalidatingOnWrite(repo, ctx.get<ChangeSignal>(TYPES.ChangeSignal), { reads }));
  onActivation<TokenBatchRepository>(TYPES.TokenBatchRepository, (ctx, repo) => invalidatingOnWrite(repo, ctx.get<ChangeSignal>(TYPES.ChangeSignal), { reads }));

  use(
    TYPES.DryRunTokenImportUseCase,
    (p, store, bulk, catalogue, portal, clock) => new DryRunTokenImportUseCase(p, store, bulk, catalogue, portal, clock),
    [P, TYPES.TokenImportStore, TYPES.TokenBulkRepository, TYPES.Catalogue, TYPES.Portal, TYPES.Clock],
  );
  use(
    TYPES.ApplyTokenImportUseCase,
    (p, uow, store, bulk, audit, random, clock) => new ApplyTokenImportUseCase(p, uow, store, bulk, audit, random, clock),
    [P, TYPES.UnitOfWork, TYPES.TokenImportStore, TYPES.TokenBulkRepository, TYPES.AuditRepository, TYPES.Random, TYPES.Clock],
  );
  use(TYPES.TokenImportResultsQuery, (p, store, bulk) => new TokenImportResultsQuery(p, store, bulk), [P, TYPES.TokenImportStore, TYPES.TokenBulkRepository]);
  use(
    TYPES.CreateTokenBatchUseCase,
    (p, uow, batches, bulk, audit, catalogue, portal, random, clock) => new CreateTokenBatchUseCase(p, uow, batches, bulk, audit, catalogue, portal, random, clock),
    [P, TYPES.UnitOfWork, TYPES.TokenBatchRepository, TYPES.TokenBulkRepository, TYPES.AuditRepository, TYPES.Catalogue, TYPES.Portal, TYPES.Random, TYPES.Clock],
  );
  use(TYPES.ChangeTokenBatchUseCase, (p, uow, batches, audit, clock) => new ChangeTokenBatchUseCase(p, uow, batches, audit, clock), [P, TYPES.UnitOfWork, TYPES.TokenBatchRepository, TYPES.AuditRepository, TYPES.Clock]);
  use(TYPES.TokenBatchCodesQuery, (p, batches) => new TokenBatchCodesQuery(p, batches), [P, TYPES.TokenBatchRepository]);
  use(
    TYPES.ItemTokenListQuery,
    (p, catalogue, bulk, batches, views, clock, copies) => new ItemTokenListQuery(p, catalogue, bulk, batches, views, clock, copies),
    [P, TYPES.Catalogue, TYPES.TokenBulkRepository, TYPES.TokenBatchRepository, TokenViews, TYPES.Clock, TYPES.TokenCopyStore],
  );
  use(TYPES.ExportTokensQuery, (p, list) => new ExportTokensQuery(p, list), [P, TYPES.ListTokensQuery]);
});
