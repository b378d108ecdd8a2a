/*
 * The memory host's filter chains (contract 1.1, `events.filter`): handlers in priority order (lower
 * first, then in the order they joined), each awaited under a timeout; the first veto ends the chain.
 * A handler that throws, rejects, times out or answers anything but nothing or a veto is a veto with a
 * generic message (fail closed), logged.
 */
import type { FilterVeto, HostFilterHandler, HostFilterName, HostFilterPayloads, LoggerPort } from '../../../src/contract/index.js';
import { HOST_FILTERS } from '../../../src/contract/index.js';

type Entry = { readonly handler: (payload: unknown) => unknown; readonly priority: number; readonly seq: number };

/** What a learner is shown when a handler failed: nothing of the failure itself. */
export const FAILED_VETO: FilterVeto = { code: 'host.filter_failed', message: 'This cannot be done right now. Please try again later.' };

export class MemoryFilters {
  private readonly chains = new Map<HostFilterName, Entry[]>();
  private seq = 0;

  constructor(private readonly logger: LoggerPort, private readonly timeoutMs = 2000) {}

  filter<F extends HostFilterName>(name: F, handler: HostFilterHandler<F>, priority = 0): () => void {
    if (!(HOST_FILTERS as readonly string[]).includes(name)) throw new TypeError(`Unknown host filter "${name}"`);
    if (typeof handler !== 'function' || !Number.isFinite(priority)) throw new TypeError('A filter needs a handler and a finite priority');
    this.seq += 1;
    const entry: Entry = { handler: handler as Entry['handler'], priority, seq: this.seq };
    const chain = [...(this.chains.get(name) ?? []), entry].sort((a, b) => a.priority - b.priority || a.seq - b.seq);
    this.chains.set(name, chain);
    return () => void this.chains.set(name, (this.chains.get(name) ?? []).filter((e) => e !== entry));
  }

  /** Runs the chain: null when nobody objects, else the first veto. */
  async ask<F extends HostFilterName>(name: F, payload: HostFilterPayloads[F]): Promise<FilterVeto | null> {
    for (const entry of this.chains.get(name) ?? []) {
      let timer: NodeJS.Timeout | undefined;
      try {
        const outcome = await Promise.race([
          Promise.resolve().then(() => entry.handler(payload)),
          new Promise((_r, reject) => {
            timer = setTimeout(() => reject(new Error(`timed out after ${this.timeoutMs} ms`)), this.timeoutMs);
          }),
        ]) as { veto?: Partial<FilterVeto> } | void | undefined;
        if (outcome === undefined || outcome === null) continue;
        const { code, message } = outcome.veto ?? {};
        if (typeof code === 'string' && typeof message === 'string' && message.trim()) return { code, message };
        throw new Error('the handler answered something that is neither nothing nor a veto');
      } catch (error) {
        this.logger.error(`A ${name} filter failed; taken as a veto`, { error: error instanceof Error ? error.message : String(error) });
        return FAILED_VETO;
      } finally {
        clearTimeout(timer);
      }
    }
    return null;
  }
}
