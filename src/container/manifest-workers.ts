import { inject, injectable, multiInject, optional } from 'inversify';
import type { LoggerPort } from '../contract/index.js';
import type { Manifest } from '../manifest/manifest.js';
import { TYPES, type LifecycleContribution, type WorkerContribution } from '../types.js';

/**
 * Starts the background workers the manifest declares (`workers[].id`), in the manifest's order, in
 * the `workers` phase; stops them in reverse. A declared worker nobody implements, or a worker the
 * manifest does not declare, fails start() naming it.
 */
@injectable()
export class ManifestWorkers implements LifecycleContribution {
  readonly phase = 'workers' as const;
  private running: WorkerContribution[] = [];

  constructor(
    @inject(TYPES.Manifest) private readonly manifest: Pick<Manifest, 'workers'>,
    @inject(TYPES.Logger) private readonly logger: LoggerPort,
    @multiInject(TYPES.Worker) @optional() private readonly workers: WorkerContribution[] = [],
  ) {}

  /** Every way the workers and the manifest disagree, one sentence each. */
  problems(): string[] {
    const declared = new Set(this.manifest.workers.map((w) => w.id));
    const implemented = new Set(this.workers.map((w) => w.id));
    const undeclared = [...implemented].filter((id) => !declared.has(id));
    const missing = [...declared].filter((id) => !implemented.has(id));
    const twice = this.workers.map((w) => w.id).filter((id, i, ids) => ids.indexOf(id) !== i);
    return [
      ...missing.map((id) => `plugin/manifest.json declares worker "${id}", which nothing implements.`),
      ...undeclared.map((id) => `Worker "${id}" runs but plugin/manifest.json does not declare it.`),
      ...twice.map((id) => `Worker "${id}" is bound twice.`),
    ];
  }

  async start(): Promise<void> {
    const problems = this.problems();
    if (problems.length > 0) throw new Error(`Workers and manifest disagree: ${problems.join(' ')}`);
    for (const { id } of this.manifest.workers) {
      const w = this.workers.find((x) => x.id === id)!;
      await w.worker.start();
      this.running.push(w);
    }
    if (this.running.length > 0) this.logger.info('Background workers started', { workers: this.running.map((w) => w.id) });
  }

  async stop(): Promise<void> {
    for (const w of this.running.splice(0).reverse()) await w.worker.stop();
  }
}
