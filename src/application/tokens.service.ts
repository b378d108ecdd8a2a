import { ErrorCodes, refuse, type Refusal } from '../domain/errors.js';
import { canHaveTokens, type KnowledgeItem, type KnowledgeRef } from '../domain/knowledge.js';
import { err, ok, type Result } from '../domain/result.js';
import { TokenCode } from '../domain/token-code.js';
import { tokenStatus, validateNickname, type Token, type TokenStatus } from '../domain/token.js';
import { canManageTokens, type HostUser } from '../domain/user.js';
import type { CataloguePort } from '../domain/ports/host.ports.js';
import type { ClockPort } from '../domain/ports/clock.port.js';
import type { RandomSource } from '../domain/ports/random.port.js';
import type { TokenRepository } from '../domain/ports/repositories.port.js';

export interface TokenView extends Token {
  readonly status: TokenStatus;
}

export interface ItemTokens {
  readonly item: KnowledgeItem;
  /** False for library content: the panel explains instead of listing. */
  readonly tokensAllowed: boolean;
  readonly tokens: readonly TokenView[];
}

export interface CreateTokenInput {
  readonly nickname?: string | null;
  /** Blank or absent: a generated code. */
  readonly customCode?: string | null;
  readonly expiresAt?: Date | null;
  readonly maxUses?: number | null;
}

const GENERATION_ATTEMPTS = 5;

/** Admin use cases on tokens. Every method checks permission itself: adapters cannot forget to. */
export class TokensService {
  constructor(
    private readonly tokens: TokenRepository,
    private readonly catalogue: CataloguePort,
    private readonly random: RandomSource,
    private readonly clock: ClockPort,
  ) {}

  async listForItem(actor: HostUser | null, ref: KnowledgeRef): Promise<Result<ItemTokens, Refusal>> {
    if (!canManageTokens(actor)) return err(refuse(ErrorCodes.PERMISSION_DENIED));
    const item = await this.catalogue.get(ref);
    if (!item) return err(refuse(ErrorCodes.KNOWLEDGE_NOT_FOUND));
    if (!canHaveTokens(item).ok) return ok({ item, tokensAllowed: false, tokens: [] });
    const now = this.clock.now();
    const tokens = (await this.tokens.listForItem(ref)).map((t) => ({ ...t, status: tokenStatus(t, now) }));
    return ok({ item, tokensAllowed: true, tokens });
  }

  async create(actor: HostUser | null, ref: KnowledgeRef, input: CreateTokenInput): Promise<Result<Token, Refusal>> {
    if (!canManageTokens(actor)) return err(refuse(ErrorCodes.PERMISSION_DENIED));
    const item = canHaveTokens(await this.catalogue.get(ref));
    if (!item.ok) return item;
    const nickname = validateNickname(input.nickname);
    if (!nickname.ok) return nickname;
    const base = {
      item: item.value.ref,
      nickname: nickname.value,
      expiresAt: input.expiresAt ?? null,
      maxUses: input.maxUses ?? null,
      createdBy: actor!.id,
    };
    const customInput = input.customCode?.trim();
    if (customInput) {
      const code = TokenCode.custom(customInput);
      if (!code.ok) return code;
      const created = await this.tokens.insert({ ...base, normalisedCode: code.value.normalised, displayCode: code.value.display, custom: true });
      return created ? ok(created) : err(refuse(ErrorCodes.TOKEN_CODE_TAKEN, 'That code is already in use. Choose another.'));
    }
    // 60 random bits make a collision vanishingly rare; retrying keeps it from ever surfacing.
    for (let attempt = 0; attempt < GENERATION_ATTEMPTS; attempt++) {
      const code = TokenCode.generate(this.random);
      const created = await this.tokens.insert({ ...base, normalisedCode: code.normalised, displayCode: code.display, custom: false });
      if (created) return ok(created);
    }
    return err(refuse(ErrorCodes.TOKEN_CODE_TAKEN));
  }
}
