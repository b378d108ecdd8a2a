import { inject, injectable } from 'inversify';
import type { HostEventPayloads } from '../contract/index.js';
import type { CleanUpDeletedItemUseCase } from '../application/tokens/clean-up-deleted-item.use-case.js';
import type { RevokeEmailedLinksUseCase } from '../application/registration/revoke-emailed-links.use-case.js';
import { TYPES } from '../types.js';
import type { HookHandlers, HookMethod } from './hook-types.js';

/**
 * Thin translators from host events to use cases. HookRegistry subscribes them as the manifest
 * declares (`action:<event>` → method); action hooks never throw into the host: errors are logged.
 */
@injectable()
export class HostEventHooks implements HookHandlers {
  constructor(
    @inject(TYPES.CleanUpDeletedItemUseCase) private readonly cleanUpDeletedItem: CleanUpDeletedItemUseCase,
    @inject(TYPES.RevokeEmailedLinksUseCase) private readonly revokeEmailedLinks: RevokeEmailedLinksUseCase,
  ) {}

  /** An item that is gone takes its tokens and notification settings with it. */
  onItemDeleted({ item }: HostEventPayloads['item.deleted']): Promise<void> {
    return this.cleanUpDeletedItem.execute(item);
  }

  /** Links were sent to the old address: when the email changes, they stop working. */
  onUserUpdated({ user, previousEmail }: HostEventPayloads['user.updated']): Promise<void> {
    return this.revokeEmailedLinks.execute({ userId: user.id, email: user.email, previousEmail });
  }

  hookMethods(): Record<(typeof HOOK_METHODS)[number], HookMethod> {
    return {
      onItemDeleted: (p: HostEventPayloads['item.deleted']) => this.onItemDeleted(p),
      onUserUpdated: (p: HostEventPayloads['user.updated']) => this.onUserUpdated(p),
    };
  }
}

export const HOOK_METHODS = ['onItemDeleted', 'onUserUpdated'] as const;
