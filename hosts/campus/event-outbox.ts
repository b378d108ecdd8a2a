/*
 * Campus raises events through a table: raising one inserts a row on the caller's transaction, so a
 * rollback takes the event with it; once the outermost transaction commits, the dispatcher claims the
 * rows (`for update skip locked`, deleted as they are claimed) and delivers each to its handlers in
 * turn, each under a timeout, failures logged. A slow sweep picks up anything a dispatch missed.
 * Rows a statement of Campus queued for its caller to announce (`held_by`, the statement form of a
 * registration) are claimed by nobody, the sweep included, until `release(hold)` (its caller said it
 * committed); the sweep lets go of holds nobody released within HOLD_LIMIT (a caller that died).
 */
import type { Knex } from 'knex';
import type { HostEventName, HostEventPayloads, LoggerPort, Tx } from '../../src/contract/index.js';
import { HOST_EVENTS } from '../../src/contract/index.js';

type Handler = (payload: unknown) => unknown;
type KnexTx = Knex.Transaction & { executionPromise?: Promise<unknown>; parentTransaction?: KnexTx };

const HOLD_LIMIT = "interval '10 minutes'";

export class EventOutbox {
  private readonly handlers = new Map<string, Set<Handler>>();
  private readonly sweep: NodeJS.Timeout;
  private swept: Promise<void> = Promise.resolve();
  private running: Promise<void> | null = null;
  private again = false;

  constructor(private readonly knex: Knex, private readonly logger: LoggerPort, private readonly timeoutMs = 3000) {
    this.sweep = setInterval(() => {
      this.swept = this.sweepOnce();
    }, 1000);
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

  /** A statement's held rows: its caller says it committed; they are delivered now. */
  async release(hold: string): Promise<void> {
    try {
      await this.knex('campus_event_outbox').where({ held_by: hold }).update({ held_by: null });
    } catch (error) {
      this.logger.error('Campus could not release held events', { error: String(error) });
    }
    return this.dispatch();
  }

  private async sweepOnce(): Promise<void> {
    try {
      await this.knex.raw(`update campus_event_outbox set held_by = null where held_by is not null and queued_at < now() - ${HOLD_LIMIT}`);
    } catch (error) {
      this.logger.error('Campus could not sweep held events', { error: String(error) });
    }
    return this.dispatch();
  }

  /** Delivers every committed event not held; concurrent calls share one run (and ask for another pass). */
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
      'delete from campus_event_outbox where id in (select id from campus_event_outbox where held_by is null order by id limit 50 for update skip locked) returning id, event, payload',
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
    await this.swept;
    await this.running;
  }
}
