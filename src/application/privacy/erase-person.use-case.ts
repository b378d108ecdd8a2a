import { erasedEntry, erasureSubject, type ErasureCounts } from '../../domain/privacy/erasure.js';
import type { AuditRepository } from '../../domain/ports/audit-repository.port.js';
import type { ClockPort } from '../../domain/ports/clock.port.js';
import type { LoggerPort } from '../../domain/ports/logger.port.js';
import type { PersonalDataHolder } from '../../domain/ports/personal-data.port.js';
import type { UnitOfWork } from '../../domain/ports/unit-of-work.port.js';
import type { ChangeSignal } from '../shared/read-cache.js';

export interface ErasePersonInput {
  readonly userId: string;
  /** `deleted`: the account is gone (`user.deleted`); `erased`: kept, its personal data erased (`user.erased`). */
  readonly reason: 'deleted' | 'erased';
}

/**
 * The host deleted an account or erased its personal data: everything the plugin holds that names
 * the person goes, in ONE transaction, so an erasure is never half done. First every holder says
 * what its tables know of them (their emails and names: the host can no longer tell), then every
 * holder removes or anonymises its rows by user id and by those emails. Delivered twice, the second
 * run finds nothing. What stays (counts, no way back to the person) is listed in docs/host-contract.md.
 */
export class ErasePersonUseCase {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly holders: readonly PersonalDataHolder[],
    private readonly logger: LoggerPort,
    private readonly audit: AuditRepository,
    private readonly clock: ClockPort,
    /** Drops this instance's read caches (e.g. an item's notification recipients) once the erasure committed. */
    private readonly changed?: ChangeSignal,
  ) {}

  async execute(input: ErasePersonInput): Promise<ErasureCounts> {
    const userId = String(input.userId ?? '').trim();
    if (!userId) return {};
    const counts = await this.uow.run(async (tx) => {
      const known = [];
      for (const h of this.holders) if (h.identify) known.push(await h.identify(userId, tx));
      const subject = erasureSubject(userId, known);
      const changed: Record<string, number> = {};
      for (const h of this.holders) changed[h.id] = await h.erase(subject, tx);
      // The Activity page shows that an erasure happened, and what it changed: never whom.
      if (Object.values(changed).some((n) => n > 0)) await this.audit.append([erasedEntry(input.reason, changed, this.clock.now())], tx);
      return changed;
    });
    this.changed?.bump();
    const total = Object.values(counts).reduce((a, b) => a + b, 0);
    // The log names no one: the host knows whom it erased.
    if (total > 0) this.logger.info(`A person's data was erased (${input.reason === 'deleted' ? 'account deleted' : 'personal data erased'})`, { rows: counts });
    return counts;
  }
}
