/*
 * The machinery every outbox worker shares (mail, webhook deliveries): the poll-and-nudge loop,
 * lanes of parallel sends, the bookkeeping of batches in flight, and retried writes of results.
 */

/**
 * Runs `drain` on a timer every `pollMs`, and at once when nudged (a listener of the outbox's due
 * signal). One drain at a time: a nudge during a drain runs another right after it.
 */
export class DrainLoop {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private again = false;
  private stopped = true;
  /** True from stop() on: a drain in flight claims nothing more. */
  stopping = false;
  private stopListening: (() => void) | null = null;

  constructor(
    private readonly drain: () => Promise<unknown>,
    private readonly pollMs: number,
    private readonly onError: (error: unknown) => void,
  ) {}

  /** Starts polling; `listen` subscribes the loop's nudge to a due signal and returns how to unsubscribe. */
  start(listen?: (nudge: () => void) => () => void): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.stopping = false;
    this.stopListening = listen ? listen(() => this.nudge()) : null;
    this.schedule(0);
  }

  /** Stops polling and waits for the drain in flight. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.stopping = true;
    this.stopListening?.();
    this.stopListening = null;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running;
  }

  /** True while a poll is scheduled or a drain is in flight. */
  get active(): boolean {
    return this.timer !== null || this.running !== null;
  }

  nudge(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.schedule(0);
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      this.running = this.drain()
        .then(() => undefined)
        .catch((e: unknown) => this.onError(e))
        .finally(() => {
          this.running = null;
          const again = this.again;
          this.again = false;
          this.schedule(again ? 0 : this.pollMs);
        });
    }, delayMs);
    this.timer.unref();
  }
}

/**
 * Batches in flight (sent, then written). add() returns once at most `limit` batches are unfinished
 * (the one added included) — so with 1 the new batch queues on the lanes while the previous one
 * finishes, and no third is started. The first failure is kept and thrown (drain() stops; the poll
 * tries again later).
 */
export class Bookkeeping {
  private readonly inFlight: Promise<void>[] = [];
  private error: unknown = null;

  constructor(private readonly limit: number) {}

  async add(work: Promise<void>): Promise<void> {
    this.inFlight.push(work.catch((e: unknown) => {
      this.error ??= e;
    }));
    while (this.inFlight.length > this.limit) await this.inFlight.shift();
    this.throwIfFailed();
  }

  /** Waits for every write; never throws. */
  async settle(): Promise<void> {
    await Promise.all(this.inFlight.splice(0));
  }

  throwIfFailed(): void {
    if (this.error) throw this.error;
  }
}

/** A promise that is awaited later: a rejection meanwhile is not reported as unhandled. */
export function quietly<T>(promise: Promise<T>): Promise<T> {
  promise.catch(() => undefined);
  return promise;
}

/** At most `limit` tasks at once, started in the order they were queued. */
export class Lanes {
  private active = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly limit: number) {}

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.active >= Math.max(1, this.limit)) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.active += 1;
    try {
      return await task();
    } finally {
      const nextTask = this.waiting.shift();
      // The lane passes straight to the next task; otherwise it is free.
      if (nextTask) nextTask();
      else this.active -= 1;
    }
  }
}

/** Bookkeeping after a send is worth a couple of tries: failing it means the row goes again after its lease. */
export async function withRetries(fn: () => Promise<void>, tries = 3): Promise<void> {
  for (let i = 1; ; i++) {
    try {
      return await fn();
    } catch (e) {
      if (i >= tries) throw e;
      await new Promise((resolve) => setTimeout(resolve, 250 * i));
    }
  }
}

/**
 * Sends batches through `lanes` as a pipeline. The next batch is claimed once the one before the
 * current batch is off the wire (so while the current one is on it): its rows queue on the same
 * lanes behind the current batch's, and no lane idles while a batch finishes or is recorded. A
 * claimed row therefore waits behind at most one batch (leases are sized for two). Each batch's
 * results are recorded as soon as it is sent, in the background (at most `recording` batches at
 * once; more wait for one to finish): sending never waits for the database's commit of the batch
 * before. Resolves with how many rows it handled, once everything is recorded; the first failure
 * (of a claim or a record) stops claiming and is thrown after the batches on the wire are written.
 */
export async function drainBatches<C, R, T>(opts: {
  readonly lanes: Lanes;
  readonly claim: () => Promise<{ batch: readonly T[]; context: C }>;
  readonly attempt: (row: T, context: C) => Promise<R>;
  readonly record: (batch: readonly T[], results: readonly R[], context: C) => Promise<void>;
  readonly stopping: () => boolean;
  /** Batches whose results may be written at once (default 3). */
  readonly recording?: number;
}): Promise<number> {
  let total = 0;
  const records = new Bookkeeping(opts.recording ?? 3);
  let previous: Promise<unknown> = Promise.resolve();
  try {
    let claimed = opts.stopping() ? null : await opts.claim();
    while (claimed && claimed.batch.length > 0) {
      const { batch, context } = claimed;
      total += batch.length;
      const sent = Promise.all(batch.map((row) => opts.lanes.run(() => opts.attempt(row, context))));
      // Returns once few enough writes are unfinished; rejects once one failed (awaited below).
      const written = quietly(records.add(sent.then((results) => opts.record(batch, results, context))));
      await previous;
      previous = sent;
      await written;
      claimed = opts.stopping() ? null : await opts.claim();
    }
  } finally {
    // Whatever happened, the batches already on the wire finish and are written before this settles.
    await previous.catch(() => undefined);
    await records.settle();
  }
  records.throwIfFailed();
  return total;
}
