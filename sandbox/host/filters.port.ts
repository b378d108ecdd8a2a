/*
 * The filter chains of contract 1.1 (`events.filter`): questions the sandbox asks before it acts.
 * Handlers run in priority order (lower first; equal priorities in the order they joined), each
 * under a timeout, and the first veto ends the chain. A handler that throws, times out or answers
 * something that is not a veto or nothing counts as a veto with a generic message: the chain fails
 * closed.
 */
import type { Logger } from 'pino';
import { HOST_FILTERS } from '../../src/contract/index.js';
import type { FilterVeto, HostFilterHandler, HostFilterName, HostFilterPayloads } from '../../src/contract/index.js';

export const FILTER_TIMEOUT_MS = 2000;

/** What the person is told when a handler failed rather than refused. */
export const FILTER_FAILED: FilterVeto = {
  code: 'host.filter_failed',
  message: 'This cannot be done right now. Try again later, or ask your portal admin.',
};

type AnyHandler = (payload: unknown) => unknown;
interface Entry { readonly handler: AnyHandler; readonly priority: number; readonly order: number }

function isVeto(value: unknown): value is { veto: FilterVeto } {
  const veto = (value as { veto?: Partial<FilterVeto> } | null)?.veto;
  return !!veto && typeof veto.code === 'string' && typeof veto.message === 'string' && veto.message.trim() !== '';
}

export class FilterChains {
  private readonly chains = new Map<HostFilterName, Entry[]>();
  private joined = 0;

  constructor(private readonly log: Logger, private readonly timeoutMs = FILTER_TIMEOUT_MS) {}

  filter<F extends HostFilterName>(name: F, handler: HostFilterHandler<F>, priority = 0): () => void {
    if (!(HOST_FILTERS as readonly string[]).includes(name)) throw new TypeError(`Unknown host filter "${String(name)}"`);
    if (typeof handler !== 'function') throw new TypeError('A filter handler must be a function');
    if (!Number.isFinite(priority)) throw new TypeError('A filter priority must be a finite number');
    const entry: Entry = { handler: handler as AnyHandler, priority, order: this.joined++ };
    const list = [...(this.chains.get(name) ?? []), entry].sort((a, b) => a.priority - b.priority || a.order - b.order);
    this.chains.set(name, list);
    return () => {
      const current = this.chains.get(name) ?? [];
      this.chains.set(name, current.filter((e) => e !== entry));
    };
  }

  handlerCount(name: HostFilterName): number {
    return this.chains.get(name)?.length ?? 0;
  }

  /** The first veto of the chain, or null when every handler let it pass. Never throws. */
  async ask<F extends HostFilterName>(name: F, payload: HostFilterPayloads[F]): Promise<FilterVeto | null> {
    for (const { handler } of [...(this.chains.get(name) ?? [])]) {
      let timer: NodeJS.Timeout | undefined;
      try {
        const outcome = await Promise.race([
          Promise.resolve().then(() => handler(payload)),
          new Promise<never>((_resolve, reject) => {
            timer = setTimeout(() => reject(new Error(`Filter handler timed out after ${this.timeoutMs} ms`)), this.timeoutMs);
            timer.unref();
          }),
        ]);
        if (outcome === undefined || outcome === null) continue;
        if (isVeto(outcome)) return { code: outcome.veto.code, message: outcome.veto.message };
        this.log.error({ filter: name }, `Filter handler for ${name} answered neither nothing nor a veto; counted as a veto`);
        return FILTER_FAILED;
      } catch (error) {
        this.log.error({ filter: name, error }, `Filter handler for ${name} failed; counted as a veto`);
        return FILTER_FAILED;
      } finally {
        if (timer) clearTimeout(timer);
      }
    }
    return null;
  }
}
