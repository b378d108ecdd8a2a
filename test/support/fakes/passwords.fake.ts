import type { PasswordsPort } from '../../../src/domain/ports/passwords.port.js';
import type { Tx } from '../../../src/domain/ports/unit-of-work.port.js';
import type { FakeDb } from './fake-db.js';

/** The host's policy: at least 12 characters. */
export class FakePasswords implements PasswordsPort {
  constructor(private readonly db: FakeDb) {}
  async setPassword(userId: string, password: string, tx?: Tx): Promise<{ ok: true } | { ok: false; message: string }> {
    const state = this.db.inTx(tx);
    if (password.length < 12) return { ok: false, message: 'Use at least 12 characters.' };
    state.passwords[userId] = password;
    return { ok: true };
  }
}
