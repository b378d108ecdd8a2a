import type { LoggerPort } from '../../../domain/ports/logger.port.js';
import type { CatchUpUsageUseCase } from '../../../application/reports/catch-up-usage.use-case.js';
import type { LifecycleContribution } from '../../../types.js';

/**
 * The `report-counters` worker: every few seconds writes the deep-link views counted in memory and
 * folds new registrations and newly reached steps into the usage totals; at stop, once more, so no
 * counted view is lost. Any instance may run it (folding skips rows another instance holds).
 */
export class ReportCountersWorker implements LifecycleContribution {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> | null = null;

  constructor(
    private readonly catchUp: CatchUpUsageUseCase,
    private readonly logger: LoggerPort,
    readonly everyMs = 5000,
  ) {}

  get active(): boolean {
    return this.timer !== null;
  }

  start(): void {
    this.stopTimer();
    this.timer = setInterval(() => void this.tick(), this.everyMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    this.stopTimer();
    await this.running;
    await this.tick();
  }

  private tick(): Promise<unknown> {
    if (this.running) return this.running;
    this.running = this.catchUp
      .execute()
      .catch((e: unknown) => this.logger.warn('Could not bring the usage totals up to date; will try again', { error: e instanceof Error ? e.message : String(e) }))
      .finally(() => (this.running = null));
    return this.running;
  }

  private stopTimer(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }
}
