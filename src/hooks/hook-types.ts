/*
 * The plugin side of the manifest's hooks (`{ hook: 'type:noun.verb', method, priority }`). The type
 * fixes the semantics:
 * - `action:` fire-and-forget: the handler's errors are caught and logged, never thrown to the host.
 * - `filter:` a chain in priority order: each handler returns the (possibly changed) payload or a
 *   veto with a reason; the caller gets a FilterResult, never an exception.
 * - `static:` awaited, with a timeout; a failure or a timeout is thrown to the caller that awaits it.
 */

export const HOOK_TYPES = ['action', 'filter', 'static'] as const;
export type HookType = (typeof HOOK_TYPES)[number];

/** A hook as the manifest declares it (the shape of the manifest's `hooks[]`). */
export interface DeclaredHook {
  readonly hook: string;
  readonly method: string;
  readonly priority: number;
  /** A feature of the manifest's `features` this hook belongs to: not subscribed while that feature is off. */
  readonly feature?: string;
}

/** Why a filter hook refused: a stable code (mapped to words at the edge) and optional data. */
export interface Veto {
  readonly code: string;
  readonly data?: Readonly<Record<string, unknown>>;
}

/** What one filter handler answers: nothing (payload unchanged), a changed payload, or a veto. */
export type FilterOutcome<P> = void | undefined | { readonly payload: P } | { readonly veto: Veto };

/** What a filter chain answers: the payload after every handler, or the first veto and whose it was. */
export type FilterResult<P> = { readonly ok: true; readonly payload: P } | { readonly ok: false; readonly veto: Veto; readonly hook: string };

/** The code of the veto a filter chain answers when one of its handlers throws: it fails closed. */
export const HOOK_FAILED = 'HOOK.FAILED';

export type HookMethod = (payload: never) => unknown;

/**
 * A class whose methods handle hooks. It lists them by name, so a method the manifest does not
 * declare (or a declared one that is missing) fails start().
 */
export interface HookHandlers {
  hookMethods(): Readonly<Record<string, HookMethod>>;
}

/**
 * The words of a veto as the host shows it (contract 1.1 filters answer `{ veto: { code, message } }`):
 * the plugin's hooks veto with a code and facts, and this turns them into the sentence.
 */
export type VetoWords = (veto: Veto) => string;
