/*
 * The events port: the plugin subscribes to host events; the sandbox emits them, each handler in
 * turn under a timeout, errors logged and never thrown back. Changes made in a transaction raise
 * their event only once it (and every transaction it is nested in) has committed.
 */
import type { Logger } from 'pino';
import { HOST_EVENTS } from '../../src/contract/index.js';
import type { HostEventHandler, HostEventName, HostEventPayloads, Tx } from '../../src/contract/index.js';

export const EVENT_TIMEOUT_MS = 5000;

type AnyHandler = (payload: unknown) => Promise<void> | void;

export class HostEventBus {
  private readonly handlers = new Map<HostEventName, AnyHandler[]>();

  constructor(private readonly log: Logger, private readonly timeoutMs = EVENT_TIMEOUT_MS) {}

  on<E extends HostEventName>(event: E, handler: HostEventHandler<E>): () => void {
    if (!(HOST_EVENTS as readonly string[]).includes(event)) throw new TypeError(`Unknown host event "${String(event)}"`);
    if (typeof handler !== 'function') throw new TypeError('An event handler must be a function');
    const wrapped = handler as AnyHandler;
    const list = this.handlers.get(event) ?? [];
    list.push(wrapped);
    this.handlers.set(event, list);
    return () => {
      const current = this.handlers.get(event);
      const index = current?.indexOf(wrapped) ?? -1;
      if (current && index >= 0) current.splice(index, 1);
    };
  }

  listenerCount(event: HostEventName): number {
    return this.handlers.get(event)?.length ?? 0;
  }

  /** Runs every handler in turn, each under the timeout; errors are logged, never thrown. */
  async emit<E extends HostEventName>(event: E, payload: HostEventPayloads[E]): Promise<void> {
    for (const handler of [...(this.handlers.get(event) ?? [])]) {
      let timer: NodeJS.Timeout | undefined;
      try {
        await Promise.race([
          Promise.resolve().then(() => handler(payload)),
          new Promise<never>((_resolve, reject) => {
            timer = setTimeout(() => reject(new Error(`Handler timed out after ${this.timeoutMs} ms`)), this.timeoutMs);
            timer.unref();
          }),
        ]);
      } catch (error) {
        this.log.error({ event, error }, `Event handler for ${event} failed`);
      } finally {
        if (timer) clearTimeout(timer);
      }
    }
  }

  /**
   * Emits once `tx` (and every transaction it is nested in) has committed; never when one rolls
   * back. Without a transaction it emits now. Returns when the handlers have run (or been skipped).
   */
  emitAfterCommit<E extends HostEventName>(tx: Tx | undefined, event: E, payload: HostEventPayloads[E]): Promise<void> {
    if (!tx) return this.emit(event, payload);
    return afterCommit(tx).then(
      (committed) => (committed ? this.emit(event, payload) : undefined),
      (error: unknown) => this.log.error({ error }, `Could not wait for the commit before ${event}`),
    );
  }
}

type Transactor = {
  executionPromise?: Promise<unknown>;
  parentTransaction?: Transactor;
  rollback?: (...args: unknown[]) => unknown;
  [ROLLED_BACK]?: boolean;
};

const ROLLED_BACK = Symbol('sandbox.rolledBack');
const WATCHED = new WeakSet<object>();

/**
 * knex resolves (does not reject) a transaction ended by an explicit `rollback()` without an error,
 * so an explicit rollback is noted on the transaction itself.
 */
function watchRollback(t: Transactor): void {
  if (WATCHED.has(t) || typeof t.rollback !== 'function') return;
  WATCHED.add(t);
  const original = t.rollback;
  t.rollback = function rollback(this: unknown, ...args: unknown[]) {
    t[ROLLED_BACK] = true;
    return original.apply(this, args);
  };
}

/** Resolves true once the transaction and all its parents commit, false if any rolls back. */
async function afterCommit(tx: Tx): Promise<boolean> {
  let current: Transactor | undefined = tx as Transactor;
  const chain: Transactor[] = [];
  while (current) {
    watchRollback(current);
    chain.push(current);
    current = current.parentTransaction;
  }
  for (const t of chain) {
    try {
      if (t.executionPromise) await t.executionPromise;
    } catch {
      return false;
    }
    if (t[ROLLED_BACK]) return false;
  }
  return true;
}
