import type { Tx } from './unit-of-work.port.js';

export interface PasswordsPort {
  /** Sets the user's password under the host's policy; a refusal carries a message for the person. */
  setPassword(userId: string, password: string, tx?: Tx): Promise<{ ok: true } | { ok: false; message: string }>;
}
