/*
 * Campus's filter board (contract 1.1, `events.filter`): for each filter, the handlers that joined,
 * asked lowest priority first (the earlier-joined first on a tie), each under Campus's 3-second
 * handler timeout. The first veto stops the round. A handler that throws, rejects, times out or
 * answers something that is no veto counts as a veto with Campus's own wording (fail closed).
 */
import type { FilterVeto, HostFilterHandler, HostFilterName, HostFilterPayloads, LoggerPort } from '../../src/contract/index.js';
import { HOST_FILTERS } from '../../src/contract/index.js';

interface Seat {
  readonly priority: number;
  readonly joined: number;
  readonly ask: (payload: unknown) => unknown;
}

const FAILED: FilterVeto = { code: 'campus.filter_unavailable', message: 'Joining this course is not possible at the moment.' };

export class FilterBoard {
  private readonly seats = new Map<string, Seat[]>();
  private joined = 0;

  constructor(private readonly logger: LoggerPort, private readonly timeoutMs = 3000) {}

  join<F extends HostFilterName>(filter: F, handler: HostFilterHandler<F>, priority = 0): () => void {
    if (!(HOST_FILTERS as readonly string[]).includes(filter)) throw new TypeError(`Campus asks no filter "${filter}"`);
    if (typeof handler !== 'function' || typeof priority !== 'number' || Number.isNaN(priority)) throw new TypeError('A filter handler and a numeric priority, please');
    const seat: Seat = { priority, joined: ++this.joined, ask: handler as Seat['ask'] };
    const list = this.seats.get(filter) ?? [];
    list.push(seat);
    list.sort((a, b) => a.priority - b.priority || a.joined - b.joined);
    this.seats.set(filter, list);
    return () => {
      const at = list.indexOf(seat);
      if (at >= 0) list.splice(at, 1);
    };
  }

  /** The first veto of the round, or null when every handler let it pass. */
  async round<F extends HostFilterName>(filter: F, payload: HostFilterPayloads[F]): Promise<FilterVeto | null> {
    for (const seat of [...(this.seats.get(filter) ?? [])]) {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<'timeout'>((resolve) => {
        timer = setTimeout(() => resolve('timeout'), this.timeoutMs);
      });
      try {
        const answer = await Promise.race([Promise.resolve().then(() => seat.ask(payload)), timeout]);
        if (answer === 'timeout') throw new Error(`no answer within ${this.timeoutMs} ms`);
        if (answer === undefined || answer === null) continue;
        const veto = (answer as { veto?: { code?: unknown; message?: unknown } }).veto;
        if (veto && typeof veto.code === 'string' && typeof veto.message === 'string' && veto.message.trim() !== '') return { code: veto.code, message: veto.message };
        throw new Error('a filter answered something that is no veto');
      } catch (error) {
        this.logger.error(`Campus: a ${filter} handler failed, counted as a veto`, { error: error instanceof Error ? error.message : String(error) });
        return FAILED;
      } finally {
        clearTimeout(timer);
      }
    }
    return null;
  }
}
