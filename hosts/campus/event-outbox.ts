/*
 * Campus raises events through a table: raising one inserts a row on the caller's transaction, so a
 * rollback takes the event with it; once the outermost transaction commits, the dispatcher claims the
 * rows (`for update skip locked`, deleted as they are claimed) and delivers each to its handlers in
 * turn, each under a timeout, failures logged. A slow sweep picks up anything a dispatch missed.
 */
import type { Knex } from 'knex';
import type { HostEventName, HostEventPayloads, LoggerPort, Tx } from '../../src/contract/index.js';
import { HOST_EVENTS } from '../../src/contract/index.js';

type Handler = (payload: unknown) => unknown;
type KnexTx = Knex.Transaction & { executionPromise?: Promise<unknown>; parentTransaction?: KnexTx };

export class EventOutbox {
  private readonly handlers = new Map<string, Set<Handler>>();
  private readonly sweep: NodeJS.Timeout;
  private running: Promise<void> | null = null;
  private again = false;

  constructor(private readonly knex: Knex, private readonly logger: LoggerPort, private readonly timeoutMs = 3000) {
    this.sweep = setInterval(() => void this.dispatch(), 1000);
    this.sweep.unref();
  }

  on<E extends HostEventName>(event: E, handler: (payload: HostEventPayloads[E]) => unknown): () => void {
    if (!(HOST_EVENTS as readonly string[]).includes(event)) throw new TypeError(`Campus raises no event "${event}"`);
    const set = this.handlers.get(event) ?? new Set<Handler>();
    // A wrapper of its own, so subscribing the same function twice gives two subscriptions.
    const own: Handler = (p) => (handler as Handler)(p);
    set.add(own);
    this.handlers.set(event, set);
    return () => void set.delete(own);
  }

  /** Queues the event on `tx` (delivered after the outermost transaction commits); without one, delivers it now. */
  async raise<E extends HostEventName>(event: E, payload: HostEventPayloads[E], tx?: Tx): Promise<void> {
    const trx = tx as KnexTx | undefined;
    await (trx ?? this.knex)('campus_event_outbox').insert({ event, payload: JSON.stringify(payload) });
    return this.delivered(tx);
  }

  /** For rows a statement of Campus queued itself: dispatched once `tx` commits (now without one). */
  delivered(tx?: Tx): Promise<void> {
    const trx = tx as KnexTx | undefined;
    if (!trx) return this.dispatch();
    let root = trx;
    while (root.parentTransaction) root = root.parentTransaction;
    root.executionPromise?.then(() => this.dispatch(), () => undefined);
    return Promise.resolve();
  }

  /** Delivers every committed event; concurrent calls share one run (and ask for another pass). */
  dispatch(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      do {
        this.again = false;
        for (;;) {
          const rows = await this.claim();
          if (rows.length === 0) break;
          for (const row of rows) await this.deliver(row.event as HostEventName, row.payload);
        }
      } while (this.again);
    })().catch((error: unknown) => this.logger.error('Campus could not dispatch events', { error: String(error) })).finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private async claim(): Promise<{ event: string; payload: unknown }[]> {
    const result = await this.knex.raw(
      'delete from campus_event_outbox where id in (select id from campus_event_outbox order by id limit 50 for update skip locked) returning id, event, payload',
    );
    const rows = (result.rows ?? result) as { id: string | number; event: string; payload: unknown }[];
    return rows.sort((a, b) => Number(a.id) - Number(b.id)).map((r) => ({ event: r.event, payload: typeof r.payload === 'string' ? JSON.parse(r.payload) : r.payload }));
  }

  private async deliver(event: HostEventName, payload: unknown): Promise<void> {
    for (const handler of [...(this.handlers.get(event) ?? [])]) {
      let timer: NodeJS.Timeout | undefined;
      try {
        await Promise.race([
          Promise.resolve().then(() => handler(payload)),
          new Promise((_r, reject) => {
            timer = setTimeout(() => reject(new Error(`timed out after ${this.timeoutMs} ms`)), this.timeoutMs);
          }),
        ]);
      } catch (error) {
        this.logger.error(`A ${event} handler failed`, { error: error instanceof Error ? error.message : String(error) });
      } finally {
        clearTimeout(timer);
      }
    }
  }

  async close(): Promise<void> {
    clearInterval(this.sweep);
    await this.running;
  }
}
