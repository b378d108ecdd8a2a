import type { Refusal } from '../../domain/shared/errors.js';
import { PANEL, type Channel } from '../../domain/audit/audit.js';
import type { Result } from '../../domain/shared/result.js';
import type { HostUser } from '../../domain/shared/user.js';
import type { TokenView } from './token-view.js';
import type { UpdateTokenUseCase } from './update-token.use-case.js';

/**
 * Deactivates (enabled = false) or reactivates a token: one operation with a flag, an edit of the
 * enabled flag alone — so switching off stays allowed for library content, and repeating it is a no-op.
 */
export class SetTokenEnabledUseCase {
  constructor(private readonly update: UpdateTokenUseCase) {}

  execute(actor: HostUser | null, id: string, enabled: boolean, channel: Channel = PANEL): Promise<Result<TokenView, Refusal>> {
    return this.update.execute(actor, id, { enabled }, channel);
  }
}
