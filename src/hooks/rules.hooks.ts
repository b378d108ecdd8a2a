import { inject, injectable } from 'inversify';
import type { HostEventPayloads, HostFilterOutcome, HostFilterPayloads } from '../contract/index.js';
import type { CheckSelfEnrolQuery } from '../application/rules/check-self-enrol.query.js';
import type { ReconcileUserRulesUseCase } from '../application/rules/reconcile-user-rules.use-case.js';
import type { RecordEnrolmentRemovalUseCase } from '../application/rules/record-enrolment-removal.use-case.js';
import type { RemoveDeletedItemFromRulesUseCase } from '../application/rules/remove-deleted-item.use-case.js';
import { TYPES } from '../types.js';
import type { FilterOutcome, HookHandlers, HookMethod } from './hook-types.js';

/**
 * Enrolment rules and the self-enrolment quarantine, driven by host events (feature
 * enrolment.rules) and the host's `enrolment.self_enrol` filter (feature enrolment.quarantine).
 */
@injectable()
export class RuleHooks implements HookHandlers {
  constructor(
    @inject(TYPES.ReconcileUserRulesUseCase) private readonly reconcile: ReconcileUserRulesUseCase,
    @inject(TYPES.RecordEnrolmentRemovalUseCase) private readonly removal: RecordEnrolmentRemovalUseCase,
    @inject(TYPES.RemoveDeletedItemFromRulesUseCase) private readonly deletedItem: RemoveDeletedItemFromRulesUseCase,
    @inject(TYPES.CheckSelfEnrolQuery) private readonly selfEnrol: CheckSelfEnrolQuery,
  ) {}

  /** After a registration committed (and for users the host makes itself): what the rules give, if the registration did not already. */
  async onUserCreatedRules({ user }: HostEventPayloads['user.created']): Promise<void> {
    await this.reconcile.execute(user, 'created');
  }

  /** A changed user (a type change, a new email): rules enrol, and withdraw where set to. */
  async onUserUpdatedRules({ user }: HostEventPayloads['user.updated']): Promise<void> {
    await this.reconcile.execute(user, 'updated');
  }

  /** A manual removal is respected: no rule enrols that person in that item again. */
  async onEnrolmentDeleted(p: HostEventPayloads['enrolment.deleted']): Promise<void> {
    await this.removal.execute(p);
  }

  async onItemDeletedRules({ item }: HostEventPayloads['item.deleted']): Promise<void> {
    await this.deletedItem.execute(item);
  }

  /** The quarantine: a prospect is kept out of a self-enrolment item not opened to prospects. */
  onSelfEnrol(p: HostFilterPayloads['enrolment.self_enrol']): FilterOutcome<HostFilterPayloads['enrolment.self_enrol']> {
    const refusal = this.selfEnrol.execute({ userType: p.user.type, openTo: p.openTo });
    return refusal ? { veto: { code: refusal.code, ...(refusal.data && { data: refusal.data }) } } : undefined;
  }

  hookMethods(): Record<(typeof RULE_HOOK_METHODS)[number], HookMethod> {
    return {
      onUserCreatedRules: (p: HostEventPayloads['user.created']) => this.onUserCreatedRules(p),
      onUserUpdatedRules: (p: HostEventPayloads['user.updated']) => this.onUserUpdatedRules(p),
      onEnrolmentDeleted: (p: HostEventPayloads['enrolment.deleted']) => this.onEnrolmentDeleted(p),
      onItemDeletedRules: (p: HostEventPayloads['item.deleted']) => this.onItemDeletedRules(p),
      onSelfEnrol: (p: HostFilterPayloads['enrolment.self_enrol']): HostFilterOutcome | FilterOutcome<unknown> => this.onSelfEnrol(p),
    };
  }
}

export const RULE_HOOK_METHODS = ['onUserCreatedRules', 'onUserUpdatedRules', 'onEnrolmentDeleted', 'onItemDeletedRules', 'onSelfEnrol'] as const;
