import { copiedEntry, notificationsCopiedEntry, planTokenCopies, type TokenCopy } from '../../domain/tokens/token-copy.js';
import type { NewAuditEntry } from '../../domain/audit/audit.js';
import { canHaveTokens, type KnowledgeRef } from '../../domain/shared/knowledge.js';
import type { CataloguePort } from '../../domain/ports/catalogue.port.js';
import { TokenCode } from '../../domain/tokens/token-code.js';
import type { Token } from '../../domain/tokens/token.js';
import type { AuditRepository } from '../../domain/ports/audit-repository.port.js';
import type { ClockPort } from '../../domain/ports/clock.port.js';
import type { LoggerPort } from '../../domain/ports/logger.port.js';
import type { NotificationSettingsRepository } from '../../domain/ports/notification-settings-repository.port.js';
import type { RandomSource } from '../../domain/ports/random.port.js';
import type { TokenAdminRepository } from '../../domain/ports/token-admin-repository.port.js';
import type { TokenCopyStore } from '../../domain/ports/token-copy-store.port.js';
import type { Tx, UnitOfWork } from '../../domain/ports/unit-of-work.port.js';

const GENERATION_ATTEMPTS = 5;

export interface CopyClonedItemPorts {
  readonly uow: UnitOfWork;
  readonly catalogue: CataloguePort;
  readonly copies: TokenCopyStore;
  readonly tokens: TokenAdminRepository;
  readonly notificationSettings: NotificationSettingsRepository;
  readonly audit: AuditRepository;
  readonly random: RandomSource;
  readonly clock: ClockPort;
  readonly logger: LoggerPort;
}

/**
 * The host cloned an item (`item.cloned`): the copy keeps the source's notification settings
 * (switch, mode, recipients) and gets each of its tokens as a disabled draft with a new generated
 * code (see domain/tokens/token-copy.ts), with an audit entry each, by the system — all in one
 * transaction, under the copy's token lock, so a second delivery of the event copies nothing again.
 */
export class CopyClonedItemUseCase {
  constructor(private readonly p: CopyClonedItemPorts) {}

  async execute(input: { readonly source: KnowledgeRef; readonly clone: KnowledgeRef }): Promise<{ tokens: number; notifications: boolean }> {
    const { source, clone } = input;
    if (!source?.type || !clone?.type || (source.type === clone.type && String(source.id) === String(clone.id))) return { tokens: 0, notifications: false };
    // The clone must be there, and able to have tokens (library content never has any).
    const item = canHaveTokens(await this.p.catalogue.get(clone));
    if (!item.ok) {
      this.p.logger.warn('A cloned item was not copied: the host does not know it, or it is library content', { source, clone, reason: item.error.code });
      return { tokens: 0, notifications: false };
    }
    const now = this.p.clock.now();
    const outcome = await this.p.uow.run(async (tx) => {
      await this.p.copies.lockItem(clone, tx);
      const entries: NewAuditEntry[] = [];
      const settings = await this.p.notificationSettings.copy(source, clone, tx);
      if (settings) entries.push(notificationsCopiedEntry(clone, source, settings, now));
      const plan = planTokenCopies(await this.p.copies.copyable(source, tx), await this.p.copies.copiedInto(clone, tx));
      for (const copy of plan) {
        const made = await this.insertCopy(clone, copy, tx);
        entries.push(copiedEntry(made, copy.source, source, now));
      }
      await this.p.audit.append(entries, tx);
      return { tokens: plan.length, notifications: settings !== null };
    });
    if (outcome.tokens > 0 || outcome.notifications) this.p.logger.info('Copied a cloned item’s tokens (disabled) and notification settings', { source, clone, ...outcome });
    return outcome;
  }

  private async insertCopy(clone: KnowledgeRef, copy: TokenCopy, tx: Tx): Promise<Token> {
    // A new generated code every time (a custom code is the source's alone); 60 random bits make a collision vanishingly rare.
    for (let attempt = 0; attempt < GENERATION_ATTEMPTS; attempt++) {
      const code = TokenCode.generate(this.p.random);
      const made = await this.p.tokens.insert({
        item: clone, nickname: copy.nickname, normalisedCode: code.normalised, displayCode: code.display, custom: false,
        expiresAt: copy.expiresAt, maxUses: copy.maxUses, createdBy: null, createdByName: null, enabled: false, copiedFrom: copy.source.id,
      }, tx);
      if (made) return made;
    }
    throw new Error('Could not generate a free code for a copied token');
  }
}
