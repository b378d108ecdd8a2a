import { ErrorCodes } from '../../domain/shared/errors.js';
import { canHaveTokens } from '../../domain/shared/knowledge.js';
import { checkUsable } from '../../domain/tokens/token.js';
import type { ClockPort } from '../../domain/ports/clock.port.js';
import type { AbuseLimits } from './abuse-limits.js';
import type { PublicConfigReader } from './public-config.js';
import { refused, type PreviewOutcome, type RegistrationContext } from './registration-outcomes.js';
import type { TokenLookup } from './token-lookup.js';

export interface OpenDeepLinkPorts {
  readonly config: PublicConfigReader;
  readonly lookup: TokenLookup;
  readonly limits: AbuseLimits;
  readonly clock: ClockPort;
}

/** What the deep-link page shows for a code: its item when the token is usable; reads only, never consumes a use. */
export class OpenDeepLinkQuery {
  constructor(private readonly p: OpenDeepLinkPorts) {}

  async execute(codeInput: string, ctx: RegistrationContext = {}): Promise<PreviewOutcome> {
    if (!(await this.p.config.read()).portalEnabled) return refused(ErrorCodes.REGISTRATION_UNAVAILABLE);
    const [blocked, found] = await Promise.all([this.p.limits.peek('unknownCode', ctx.ip), this.p.lookup.find(codeInput)]);
    // Checked before answering, so an address that used up its guesses cannot tell a hit from a miss.
    if (blocked) return blocked;
    if (!found) return this.p.limits.unknownCode(ctx.ip);
    const usable = checkUsable(found.token, this.p.clock.now());
    if (!usable.ok) return { kind: 'refused', reason: usable.error };
    const item = canHaveTokens(found.item);
    if (!item.ok) return refused(ErrorCodes.TOKEN_NOT_RECOGNISED);
    return { kind: 'usable', code: found.token.code ?? found.code.display, item: item.value, tokenId: found.token.id };
  }
}
