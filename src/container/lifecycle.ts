import type { Container } from 'inversify';
import { LIFECYCLE_PHASES, TYPES, type LifecycleCheck, type LifecycleContribution, type LifecyclePhase, type WorkerContribution } from '../types.js';

const DEFAULT_PHASE: LifecyclePhase = 'routes';

/**
 * The contributions of each phase, in start order: every TYPES.Lifecycle binding in its declared
 * phase (binding order within it). A contribution bound more than once starts once; one that is also
 * a declared worker (TYPES.Worker) is left to ManifestWorkers, which starts it in the `workers` phase.
 */
export function lifecyclePlan(container: Container): { phase: LifecyclePhase; contributions: LifecycleContribution[] }[] {
  const all = container.isBound(TYPES.Lifecycle) ? container.getAll<LifecycleContribution>(TYPES.Lifecycle) : [];
  const workers = container.isBound(TYPES.Worker) ? container.getAll<WorkerContribution>(TYPES.Worker) : [];
  const asWorkers = new Set<LifecycleContribution>(workers.map((w) => w.worker));
  const seen = new Set<LifecycleContribution>();
  const byPhase = new Map<LifecyclePhase, LifecycleContribution[]>(LIFECYCLE_PHASES.map((p) => [p, []]));
  for (const c of all) {
    if (asWorkers.has(c) || seen.has(c)) continue;
    seen.add(c);
    byPhase.get(c.phase ?? DEFAULT_PHASE)!.push(c);
  }
  return LIFECYCLE_PHASES.map((phase) => ({ phase, contributions: byPhase.get(phase)! }));
}

/**
 * Runs start() phase by phase (migrate → hooks → panels → routes → workers) and stop() in reverse.
 * After each phase its checks run; a failure stops what already started and is thrown.
 */
export class Lifecycle {
  private started: LifecycleContribution[] = [];

  constructor(private readonly container: Container) {}

  async start(): Promise<void> {
    const checks = this.container.isBound(TYPES.LifecycleCheck) ? this.container.getAll<LifecycleCheck>(TYPES.LifecycleCheck) : [];
    try {
      for (const { phase, contributions } of lifecyclePlan(this.container)) {
        for (const c of contributions) {
          await c.start();
          this.started.push(c);
        }
        for (const check of checks) if (check.after === phase) check.check();
      }
    } catch (e) {
      await this.stop();
      throw e;
    }
  }

  /** Stops everything started, last first; stopping nothing is fine. */
  async stop(): Promise<void> {
    for (const c of this.started.splice(0).reverse()) await c.stop();
  }
}
