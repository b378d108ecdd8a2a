/* The clock port: real time, which tests may freeze. */
import type { ClockPort } from '../../src/contract/index.js';

/** A clock tests can move: `set(date)` freezes it, `set(null)` returns to real time. */
export interface SandboxClock extends ClockPort {
  set(date: Date | null): void;
}

export function createClock(): SandboxClock {
  let frozen: Date | null = null;
  return {
    now: () => (frozen ? new Date(frozen.getTime()) : new Date()),
    set: (date) => {
      frozen = date ? new Date(date.getTime()) : null;
    },
  };
}
