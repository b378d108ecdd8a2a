import { ErrorCodes, refuse, type Refusal } from '../../domain/shared/errors.js';
import { auditActor, createdEntry, displayName, PANEL, type Channel } from '../../domain/audit/audit.js';
import type { KnowledgeRef } from '../../domain/shared/knowledge.js';
import { checkNewToken, type FieldRefusals } from '../../domain/tokens/token-rules.js';
import { err, ok, type Result } from '../../domain/shared/result.js';
import { TokenCode } from '../../domain/tokens/token-code.js';
import type { Token } from '../../domain/tokens/token.js';
import type { HostUser } from '../../domain/shared/user.js';
import type { CataloguePort } from '../../domain/ports/catalogue.port.js';
import type { PortalPort } from '../../domain/ports/portal.port.js';
import type { ClockPort } from '../../domain/ports/clock.port.js';
import type { RandomSource } from '../../domain/ports/random.port.js';
import type { NewToken } from '../../domain/ports/token-repository.port.js';
import type { AuditRepository } from '../../domain/ports/audit-repository.port.js';
import type { TokenAdminRepository } from '../../domain/ports/token-admin-repository.port.js';
import type { UnitOfWork } from '../../domain/ports/unit-of-work.port.js';
import { PERMISSION_IDS, type PermissionsPort } from '../../domain/ports/permissions.port.js';
import { safeTimeZone } from '../../domain/shared/time-zone.js';
import { denied } from './token-refusals.js';

export interface CreateTokenInput {
  readonly nickname?: string | null;
  /** Blank or absent: a generated code. */
  readonly customCode?: string | null;
  /** A calendar date (YYYY-MM-DD): the token works until the end of that day in the portal's time zone. */
  readonly expiresOn?: string | null;
  /** An exact instant, for callers that already have one (takes effect when expiresOn is absent). */
  readonly expiresAt?: Date | null;
  /** Blank: unlimited. */
  readonly maxUses?: number | null;
}

const GENERATION_ATTEMPTS = 5;

/**
 * Creates a token for an item: validates every field before writing, then inserts the token with a
 * custom or a generated code and its audit entry in one transaction.
 */
export class CreateTokenUseCase {
  constructor(
    private readonly permissions: PermissionsPort,
    private readonly uow: UnitOfWork,
    private readonly tokens: TokenAdminRepository,
    private readonly audit: AuditRepository,
    private readonly catalogue: CataloguePort,
    private readonly portal: PortalPort,
    private readonly random: RandomSource,
    private readonly clock: ClockPort,
  ) {}

  /** A refusal of the fields names each refused one (`others`), so a form can show them all. */
  async execute(actor: HostUser | null, ref: KnowledgeRef, input: CreateTokenInput, channel: Channel = PANEL): Promise<Result<Token, FieldRefusals>> {
    if (!this.permissions.allows(PERMISSION_IDS.tokensManage, actor)) return denied();
    const item = await this.catalogue.get(ref);
    const now = this.clock.now();
    const timeZone = input.expiresOn?.trim() ? safeTimeZone((await this.portal.info()).timeZone) : 'UTC';
    const checked = checkNewToken(item, input, now, () => timeZone);
    if (!checked.ok) return checked;
    const custom = checked.value.code;

    const base = {
      item: checked.value.item,
      nickname: checked.value.nickname,
      expiresAt: checked.value.expiresAt,
      maxUses: checked.value.maxUses,
      createdBy: actor!.id,
      createdByName: displayName(actor!),
    };
    const actorEntry = auditActor(actor!, channel);
    return this.uow.run(async (tx) => {
      let created: Token | null = null;
      if (custom) {
        created = await this.tokens.insert({ ...base, normalisedCode: custom.normalised, displayCode: custom.display, custom: true }, tx);
        if (!created) return err(refuse(ErrorCodes.TOKEN_CODE_TAKEN, 'That code is already in use. Choose another.'));
      } else {
        // 60 random bits make a collision vanishingly rare; retrying keeps it from ever surfacing.
        for (let attempt = 0; attempt < GENERATION_ATTEMPTS && !created; attempt++) {
          const code = TokenCode.generate(this.random);
          const candidate: NewToken = { ...base, normalisedCode: code.normalised, displayCode: code.display, custom: false };
          created = await this.tokens.insert(candidate, tx);
        }
        if (!created) return err(refuse(ErrorCodes.TOKEN_CODE_TAKEN));
      }
      await this.audit.append([createdEntry(created, actorEntry, now)], tx);
      return ok(created);
    });
  }
}
