import { inject, injectable, multiInject, optional } from 'inversify';
import type { EventsPort, HostEventName, HostFilterName, HostFilterOutcome, LoggerPort } from '../contract/index.js';
import { HOST_FILTERS } from '../contract/events.js';
import { TYPES, type LifecycleContribution } from '../types.js';
import {
  HOOK_FAILED, HOOK_TYPES, type DeclaredHook, type FilterOutcome, type FilterResult, type HookHandlers, type HookMethod, type HookType, type VetoWords,
} from './hook-types.js';

/** A declared hook bound to the method that handles it. */
interface BoundHook {
  readonly hook: string;
  readonly type: HookType;
  readonly event: HostEventName | HostFilterName;
  readonly priority: number;
  readonly run: (payload: unknown) => unknown;
}

const describe = (e: unknown): string => (e instanceof Error ? e.message : String(e));

/**
 * Maps each hook the manifest declares to a method of a HookHandlers class and subscribes it, by
 * type, in priority order (phase `hooks` of start()). A declared hook without a method, or a hook
 * method the manifest does not declare, fails start() naming it.
 */
@injectable()
export class HookRegistry implements LifecycleContribution {
  readonly phase = 'hooks' as const;
  /** How long a static hook may take before its caller is told it timed out. */
  staticTimeoutMs = 10_000;
  private bound: BoundHook[] = [];
  private unsubscribe: (() => void)[] = [];

  constructor(
    @inject(TYPES.Events) private readonly events: EventsPort,
    @inject(TYPES.Manifest) private readonly manifest: { readonly hooks: readonly DeclaredHook[] },
    @inject(TYPES.Logger) private readonly logger: LoggerPort,
    @multiInject(TYPES.HookHandlers) @optional() private readonly handlers: HookHandlers[] = [],
    @inject(TYPES.Features) @optional() private readonly features?: { enabled(feature: string): boolean },
    @inject(TYPES.VetoWords) @optional() private readonly vetoWords?: VetoWords,
  ) {}

  /** Every way the manifest's hooks and the hook methods disagree, one sentence each. */
  problems(): string[] {
    const methods = this.methods();
    const declared = new Set(this.manifest.hooks.map((h) => h.method));
    const problems = this.manifest.hooks
      .filter((h) => !methods.has(h.method))
      .map((h) => `plugin/manifest.json declares hook ${h.hook} → ${h.method}, which no hooks class implements.`);
    for (const name of methods.keys()) if (!declared.has(name)) problems.push(`Hook method ${name} is not declared in plugin/manifest.json's hooks.`);
    for (const h of this.manifest.hooks) {
      const type = h.hook.split(':')[0] as HookType;
      if (!(HOOK_TYPES as readonly string[]).includes(type)) problems.push(`Hook ${h.hook} has an unknown type "${type}".`);
      else if (type === 'filter' && !(HOST_FILTERS as readonly string[]).includes(h.hook.slice(7))) problems.push(`Hook ${h.hook} names a filter the host contract does not have.`);
    }
    return problems;
  }

  start(): void {
    this.stop();
    const problems = this.problems();
    if (problems.length > 0) throw new Error(`Hooks and manifest disagree: ${problems.join(' ')}`);
    const methods = this.methods();
    this.bound = [...this.manifest.hooks]
      .filter((h) => !h.feature || !this.features || this.features.enabled(h.feature))
      .sort((a, b) => a.priority - b.priority)
      .map((h) => {
        const [type, event] = h.hook.split(':') as [HookType, HostEventName | HostFilterName];
        return { hook: h.hook, type, event, priority: h.priority, run: methods.get(h.method)! as (p: unknown) => unknown };
      });
    for (const h of this.bound) {
      if (h.type === 'action') this.unsubscribe.push(this.events.on(h.event as HostEventName, (payload) => this.runAction(h, payload)));
      else if (h.type === 'static') this.unsubscribe.push(this.events.on(h.event as HostEventName, (payload) => this.runStatic(h, payload)));
      else if (this.events.filter) this.unsubscribe.push(this.events.filter(h.event as HostFilterName, (payload) => this.forHost(h, payload), h.priority));
      else this.logger.warn(`The host does not run filter hooks (host contract 1.0); ${h.hook} is only called by the plugin itself`);
    }
  }

  stop(): void {
    for (const off of this.unsubscribe.splice(0)) off();
    this.bound = [];
  }

  /**
   * Runs the filter chain of `event` over `payload`: each declared `filter:` hook in priority order,
   * each seeing the previous one's payload. The first veto ends it; a handler that throws vetoes
   * with HOOK.FAILED (the chain fails closed) and is logged.
   */
  async filter<P>(event: HostEventName | HostFilterName, payload: P): Promise<FilterResult<P>> {
    let current = payload;
    for (const h of this.bound.filter((b) => b.type === 'filter' && b.event === event)) {
      const outcome = await this.runFilter(h, current);
      if (outcome && 'veto' in outcome) return { ok: false, veto: outcome.veto, hook: h.hook };
      if (outcome && 'payload' in outcome) current = outcome.payload as P;
    }
    return { ok: true, payload: current };
  }

  private methods(): Map<string, HookMethod> {
    const all = new Map<string, HookMethod>();
    for (const handler of this.handlers) for (const [name, method] of Object.entries(handler.hookMethods())) all.set(name, method);
    return all;
  }

  private async runAction(h: BoundHook, payload: unknown): Promise<void> {
    try {
      await h.run(payload);
    } catch (e) {
      this.logger.error(`Hook ${h.hook} failed`, { error: describe(e) });
    }
  }

  private async runStatic(h: BoundHook, payload: unknown): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`Hook ${h.hook} did not finish within ${this.staticTimeoutMs} ms`)), this.staticTimeoutMs);
    });
    try {
      await Promise.race([Promise.resolve(h.run(payload)), timeout]);
    } catch (e) {
      this.logger.error(`Hook ${h.hook} failed`, { error: describe(e) });
      throw e;
    } finally {
      clearTimeout(timer);
    }
  }

  /** A filter as the host's chain runs it: the plugin's veto (code and facts) answered as the contract's (code and sentence). */
  private async forHost(h: BoundHook, payload: unknown): Promise<HostFilterOutcome> {
    const outcome = await this.runFilter(h, payload);
    if (!outcome || !('veto' in outcome)) return undefined;
    const { code } = outcome.veto;
    return { veto: { code, message: this.vetoWords?.(outcome.veto) ?? code } };
  }

  private async runFilter(h: BoundHook, payload: unknown): Promise<FilterOutcome<unknown>> {
    try {
      return (await h.run(payload)) as FilterOutcome<unknown>;
    } catch (e) {
      this.logger.error(`Hook ${h.hook} failed; vetoing`, { error: describe(e) });
      return { veto: { code: HOOK_FAILED, data: { hook: h.hook } } };
    }
  }
}
