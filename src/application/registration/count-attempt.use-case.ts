import type { AbuseLimits } from './abuse-limits.js';
import type { Limited, RegistrationContext } from './registration-outcomes.js';

/** Counts one attempt against the visitor's address (forms refused at the edge, honeypots, link forms). */
export class CountAttemptUseCase {
  constructor(private readonly limits: AbuseLimits) {}

  execute(ctx: RegistrationContext = {}): Promise<Limited | null> {
    return this.limits.consume('ip', ctx.ip);
  }
}
