import { inject, injectable } from 'inversify';
import type { HostEventPayloads } from '../contract/index.js';
import type { ErasePersonUseCase } from '../application/privacy/erase-person.use-case.js';
import type { CopyClonedItemUseCase } from '../application/tokens/copy-cloned-item.use-case.js';
import { TYPES } from '../types.js';
import type { HookHandlers, HookMethod } from './hook-types.js';

/**
 * The data lifecycle: a person deleted (`user.deleted`) or erased (`user.erased`, contract 1.1) is
 * forgotten by every holder of personal data in one transaction; an item cloned (`item.cloned`)
 * takes its notification settings and, as disabled drafts, its tokens to the copy.
 */
@injectable()
export class DataLifecycleHooks implements HookHandlers {
  constructor(
    @inject(TYPES.ErasePersonUseCase) private readonly erasePerson: ErasePersonUseCase,
    @inject(TYPES.CopyClonedItemUseCase) private readonly copyClonedItem: CopyClonedItemUseCase,
  ) {}

  async onUserDeleted({ userId }: HostEventPayloads['user.deleted']): Promise<void> {
    await this.erasePerson.execute({ userId, reason: 'deleted' });
  }

  async onUserErased({ userId }: HostEventPayloads['user.erased']): Promise<void> {
    await this.erasePerson.execute({ userId, reason: 'erased' });
  }

  async onItemCloned({ source, clone }: HostEventPayloads['item.cloned']): Promise<void> {
    await this.copyClonedItem.execute({ source, clone });
  }

  hookMethods(): Record<(typeof LIFECYCLE_HOOK_METHODS)[number], HookMethod> {
    return {
      onUserDeleted: (p: HostEventPayloads['user.deleted']) => this.onUserDeleted(p),
      onUserErased: (p: HostEventPayloads['user.erased']) => this.onUserErased(p),
      onItemCloned: (p: HostEventPayloads['item.cloned']) => this.onItemCloned(p),
    };
  }
}

export const LIFECYCLE_HOOK_METHODS = ['onUserDeleted', 'onUserErased', 'onItemCloned'] as const;
