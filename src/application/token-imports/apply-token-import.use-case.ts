import { auditActor, changeEntries, createdEntry, displayName, importedEntry, PANEL, type AuditActor, type Channel, type NewAuditEntry } from '../../domain/audit/audit.js';
import { ErrorCodes, refuse, refuseWith, type Refusal } from '../../domain/shared/errors.js';
import { err, ok, type Result } from '../../domain/shared/result.js';
import { normaliseCode, TokenCode } from '../../domain/tokens/token-code.js';
import { patchOf, type PlannedRow } from '../../domain/tokens/token-import.js';
import { planTokenChange, type Token } from '../../domain/tokens/token.js';
import type { HostUser } from '../../domain/shared/user.js';
import type { AuditRepository } from '../../domain/ports/audit-repository.port.js';
import type { ClockPort } from '../../domain/ports/clock.port.js';
import type { RandomSource } from '../../domain/ports/random.port.js';
import type { NewBulkToken, TokenBulkRepository } from '../../domain/ports/token-bulk-repository.port.js';
import type { ImportSummary, TokenImportStore } from '../../domain/ports/token-import-store.port.js';
import type { Tx, UnitOfWork } from '../../domain/ports/unit-of-work.port.js';
import { PERMISSION_IDS, type PermissionsPort } from '../../domain/ports/permissions.port.js';
import { denied } from '../tokens/token-refusals.js';

/** Thrown inside the transaction to roll the whole import back. */
class ImportRefused extends Error {
  constructor(readonly refusal: Refusal) {
    super(refusal.code);
  }
}

const GENERATION_ATTEMPTS = 5;

/**
 * Applies a dry run's plan, all or nothing, in one transaction: only the plan of the file that was
 * checked (its digest), only once, and only if the tokens it updates are as the dry run found them
 * (else nothing is applied and a new dry run is needed). One audit entry for the import, plus each
 * token's own entries.
 */
export class ApplyTokenImportUseCase {
  constructor(
    private readonly permissions: PermissionsPort,
    private readonly uow: UnitOfWork,
    private readonly store: TokenImportStore,
    private readonly bulk: TokenBulkRepository,
    private readonly audit: AuditRepository,
    private readonly random: RandomSource,
    private readonly clock: ClockPort,
  ) {}

  /** `digest`: the SHA-256 of the file as the caller has it now (null: the plan's own). */
  async execute(actor: HostUser | null, id: string, digest: string | null, channel: Channel = PANEL): Promise<Result<ImportSummary, Refusal>> {
    if (!this.permissions.allows(PERMISSION_IDS.tokensManage, actor)) return denied();
    const now = this.clock.now();
    const found = await this.store.find(id);
    const refused = found ? this.refusal(found, digest, now) : refuse(ErrorCodes.IMPORT_NOT_FOUND);
    if (refused) return err(refused);
    const who = auditActor(actor!, channel);
    try {
      return ok(await this.uow.run((tx) => this.apply(id, who, actor!, now, tx)));
    } catch (e) {
      if (e instanceof ImportRefused) return err(e.refusal);
      throw e;
    }
  }

  private refusal(plan: ImportSummary, digest: string | null, now: Date): Refusal | null {
    if (plan.state === 'applied') return refuse(ErrorCodes.IMPORT_ALREADY_APPLIED);
    if (plan.expiresAt.getTime() <= now.getTime()) return refuse(ErrorCodes.IMPORT_EXPIRED);
    if (digest !== null && digest !== plan.digest) return refuse(ErrorCodes.IMPORT_FILE_CHANGED);
    if (plan.counts.error > 0) return refuseWith(ErrorCodes.IMPORT_HAS_ERRORS, { errors: plan.counts.error });
    return null;
  }

  private async apply(id: string, who: AuditActor, actor: HostUser, now: Date, tx: Tx): Promise<ImportSummary> {
    // Under the plan's lock: a second admin applying the same plan waits here, then finds it applied.
    const plan = await this.store.lock(id, tx);
    if (!plan) throw new ImportRefused(refuse(ErrorCodes.IMPORT_NOT_FOUND));
    if (plan.state === 'applied') throw new ImportRefused(refuse(ErrorCodes.IMPORT_ALREADY_APPLIED));
    // The same file planned twice and applied by someone else since this dry run: its new tokens exist now.
    await this.store.lockDigest(plan.digest, tx);
    if ((await this.store.appliedWithDigest(plan.digest, tx)).some((e) => e.appliedAt.getTime() >= plan.createdAt.getTime())) {
      throw new ImportRefused(refuse(ErrorCodes.IMPORT_STALE));
    }
    for await (const chunk of this.store.chunks(id, tx, false)) {
      const entries: NewAuditEntry[] = [];
      const created = await this.creates(chunk.rows, id, actor, tx);
      for (const t of created.values()) entries.push(createdEntry(t, who, now));
      entries.push(...(await this.updates(chunk.rows, actor, who, now, tx)));
      await this.audit.append(entries, tx);
    }
    await this.audit.append([importedEntry(plan.fileName, id, plan.counts, who, now)], tx);
    await this.store.markApplied(id, { id: actor.id, name: displayName(actor) }, now, tx);
    return { ...plan, state: 'applied', appliedAt: now, appliedByName: displayName(actor) };
  }

  /** Inserts the chunk's new tokens in one statement (codes generated where none was given). */
  private async creates(rows: readonly PlannedRow[], importId: string, actor: HostUser, tx: Tx): Promise<Map<number, Token>> {
    const out = new Map<number, Token>();
    let wanted = rows.filter((r) => r.action === 'create' && r.create);
    for (let attempt = 0; wanted.length > 0; attempt++) {
      const codes = new Map<string, PlannedRow>();
      const news: NewBulkToken[] = wanted.map((r) => {
        const c = r.create!;
        const code = c.code ?? TokenCode.generate(this.random);
        codes.set(code.normalised, r);
        return {
          item: c.item, nickname: c.nickname, normalisedCode: code.normalised, displayCode: code.display, custom: c.code !== null,
          expiresAt: c.expiresAt === null ? null : new Date(c.expiresAt), maxUses: c.maxUses, enabled: c.enabled,
          createdBy: actor.id, createdByName: displayName(actor), importId, importLine: r.line,
        };
      });
      const inserted = await this.bulk.insertMany(news, tx);
      for (const t of inserted) {
        const row = codes.get(normaliseCode(t.code ?? ''));
        if (row) out.set(row.line, t);
      }
      wanted = wanted.filter((r) => !out.has(r.line));
      // A custom code someone took since the dry run: the plan no longer holds.
      const lost = wanted.find((r) => r.create!.code !== null);
      if (lost) throw new ImportRefused(refuseWith(ErrorCodes.IMPORT_STALE, { line: lost.line }));
      if (attempt >= GENERATION_ATTEMPTS && wanted.length > 0) throw new ImportRefused(refuse(ErrorCodes.TOKEN_CODE_TAKEN));
    }
    return out;
  }

  /** Applies the chunk's updates under row locks, refusing any token changed since the dry run. */
  private async updates(rows: readonly PlannedRow[], actor: HostUser, who: AuditActor, now: Date, tx: Tx): Promise<NewAuditEntry[]> {
    const wanted = rows.filter((r) => r.action === 'update' && r.tokenId && r.patch);
    if (wanted.length === 0) return [];
    const current = new Map((await this.bulk.lockByIds(wanted.map((r) => r.tokenId!), tx)).map((t) => [t.id, t]));
    const entries: NewAuditEntry[] = [];
    const changes: { id: string; patch: ReturnType<typeof patchOf> }[] = [];
    for (const r of wanted) {
      const token = current.get(r.tokenId!);
      const version = token ? (token.updatedAt ?? token.createdAt).toISOString() : null;
      if (!token || version !== r.version) throw new ImportRefused(refuseWith(ErrorCodes.IMPORT_STALE, { line: r.line }));
      // Uses may have grown since the dry run: the limit is checked again against them.
      const plan = planTokenChange(token, patchOf(r.patch!));
      if (!plan.ok) throw new ImportRefused(refuseWith(ErrorCodes.IMPORT_STALE, { line: r.line }));
      changes.push({ id: token.id, patch: plan.value });
      entries.push(...changeEntries(token, plan.value, who, now));
    }
    await this.bulk.updateMany(changes, actor.id, now, tx);
    return entries;
  }
}
