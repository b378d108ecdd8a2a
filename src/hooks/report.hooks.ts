import { inject, injectable } from 'inversify';
import type { HostEventPayloads } from '../contract/index.js';
import type { RecordLearningUseCase } from '../application/reports/record-learning.use-case.js';
import type { RefreshRegistrantUseCase } from '../application/reports/refresh-registrant.use-case.js';
import { TYPES } from '../types.js';
import type { HookHandlers, HookMethod } from './hook-types.js';

const at = (iso: unknown): Date => new Date(typeof iso === 'string' ? iso : Number.NaN);

/**
 * What the reports hear from the host: the 1.1 learning events (subscribed only while the
 * `reports.learning` feature is on) and changes to accounts, so a registrant's name, email and user
 * type in the reports follow the host's (a deleted or erased person is the erasure's: data-lifecycle.hooks.ts).
 */
@injectable()
export class ReportHooks implements HookHandlers {
  constructor(
    @inject(TYPES.RecordLearningUseCase) private readonly recordLearning: RecordLearningUseCase,
    @inject(TYPES.RefreshRegistrantUseCase) private readonly refreshRegistrant: RefreshRegistrantUseCase,
  ) {}

  async onLearningStarted(p: HostEventPayloads['learning.started']): Promise<void> {
    await this.recordLearning.execute({ userId: p.userId, item: p.item, step: { kind: 'started', at: at(p.at) } });
  }

  async onLearningProgressed(p: HostEventPayloads['learning.progressed']): Promise<void> {
    await this.recordLearning.execute({ userId: p.userId, item: p.item, step: { kind: 'progressed', percent: Number(p.percent) || 0, at: at(p.at) } });
  }

  async onLearningCompleted(p: HostEventPayloads['learning.completed']): Promise<void> {
    const outcome = p.outcome === 'passed' || p.outcome === 'failed' ? p.outcome : 'completed';
    const score = typeof p.score === 'number' && Number.isFinite(p.score) ? p.score : null;
    await this.recordLearning.execute({ userId: p.userId, item: p.item, step: { kind: 'completed', outcome, score, at: at(p.at) } });
  }

  onRegistrantUpdated({ user }: HostEventPayloads['user.updated']): Promise<void> {
    return this.refreshRegistrant.execute({ user });
  }

  hookMethods(): Record<(typeof REPORT_HOOK_METHODS)[number], HookMethod> {
    return {
      onLearningStarted: (p: HostEventPayloads['learning.started']) => this.onLearningStarted(p),
      onLearningProgressed: (p: HostEventPayloads['learning.progressed']) => this.onLearningProgressed(p),
      onLearningCompleted: (p: HostEventPayloads['learning.completed']) => this.onLearningCompleted(p),
      onRegistrantUpdated: (p: HostEventPayloads['user.updated']) => this.onRegistrantUpdated(p),
    };
  }
}

export const REPORT_HOOK_METHODS = ['onLearningStarted', 'onLearningProgressed', 'onLearningCompleted', 'onRegistrantUpdated'] as const;
