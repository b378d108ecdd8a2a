import { auditActor, batchEntry, displayName, PANEL, type Channel } from '../../domain/audit/audit.js';
import { ErrorCodes, refuse, type Refusal } from '../../domain/shared/errors.js';
import type { KnowledgeRef } from '../../domain/shared/knowledge.js';
import { err, ok, type Result } from '../../domain/shared/result.js';
import { safeTimeZone } from '../../domain/shared/time-zone.js';
import { BATCH_DEFAULT_MAX_USES, validateBatchSize } from '../../domain/tokens/token-batch.js';
import { TokenCode } from '../../domain/tokens/token-code.js';
import { checkNewToken } from '../../domain/tokens/token-rules.js';
import type { HostUser } from '../../domain/shared/user.js';
import type { AuditRepository } from '../../domain/ports/audit-repository.port.js';
import type { CataloguePort } from '../../domain/ports/catalogue.port.js';
import type { ClockPort } from '../../domain/ports/clock.port.js';
import type { PortalPort } from '../../domain/ports/portal.port.js';
import type { RandomSource } from '../../domain/ports/random.port.js';
import type { NewBulkToken, TokenBatch, TokenBatchRepository, TokenBulkRepository } from '../../domain/ports/token-bulk-repository.port.js';
import type { UnitOfWork } from '../../domain/ports/unit-of-work.port.js';
import { PERMISSION_IDS, type PermissionsPort } from '../../domain/ports/permissions.port.js';
import { denied } from '../tokens/token-refusals.js';

export interface CreateBatchInput {
  readonly count: number;
  readonly nickname?: string | null;
  readonly expiresOn?: string | null;
  /** Absent: 1 (single use); null: unlimited. */
  readonly maxUses?: number | null;
}

const INSERT_CHUNK = 2000;
const GENERATION_ATTEMPTS = 5;

/**
 * A batch of N generated codes for one item, sharing nickname, expiry and max uses: checked with the
 * panel's rules for a new token, then inserted a few thousand per statement in one transaction,
 * with one audit entry for the batch.
 */
export class CreateTokenBatchUseCase {
  constructor(
    private readonly permissions: PermissionsPort,
    private readonly uow: UnitOfWork,
    private readonly batches: TokenBatchRepository,
    private readonly bulk: TokenBulkRepository,
    private readonly audit: AuditRepository,
    private readonly catalogue: CataloguePort,
    private readonly portal: PortalPort,
    private readonly random: RandomSource,
    private readonly clock: ClockPort,
  ) {}

  async execute(actor: HostUser | null, ref: KnowledgeRef, input: CreateBatchInput, channel: Channel = PANEL): Promise<Result<TokenBatch, Refusal>> {
    if (!this.permissions.allows(PERMISSION_IDS.tokensManage, actor)) return denied();
    const size = validateBatchSize(input.count);
    if (!size.ok) return size;
    const now = this.clock.now();
    const timeZone = input.expiresOn?.trim() ? safeTimeZone((await this.portal.info()).timeZone) : 'UTC';
    const maxUses = input.maxUses === undefined ? BATCH_DEFAULT_MAX_USES : input.maxUses;
    const checked = checkNewToken(await this.catalogue.get(ref), { nickname: input.nickname ?? null, expiresOn: input.expiresOn ?? null, maxUses }, now, () => timeZone);
    if (!checked.ok) return checked;
    const c = checked.value;
    const who = auditActor(actor!, channel);
    return this.uow.run(async (tx) => {
      const batch = await this.batches.create(
        { item: c.item, nickname: c.nickname, size: size.value, expiresAt: c.expiresAt, maxUses: c.maxUses, createdBy: actor!.id, createdByName: displayName(actor!) },
        tx,
      );
      let left = size.value;
      for (let attempt = 0; left > 0; attempt++) {
        if (attempt > GENERATION_ATTEMPTS + size.value / INSERT_CHUNK) return err(refuse(ErrorCodes.TOKEN_CODE_TAKEN));
        const n = Math.min(left, INSERT_CHUNK);
        const news: NewBulkToken[] = [];
        for (let i = 0; i < n; i++) {
          const code = TokenCode.generate(this.random);
          news.push({
            item: c.item, nickname: c.nickname, normalisedCode: code.normalised, displayCode: code.display, custom: false,
            expiresAt: c.expiresAt, maxUses: c.maxUses, enabled: true, createdBy: actor!.id, createdByName: displayName(actor!), batchId: batch.id,
          });
        }
        // A code already taken (vanishingly rare with 60 bits) is left out and made again.
        left -= (await this.bulk.insertMany(news, tx)).length;
      }
      await this.audit.append([batchEntry('batch.created', batch, size.value, who, now)], tx);
      return ok(batch);
    });
  }
}
