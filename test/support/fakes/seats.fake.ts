import type { SeatsPort } from '../../../src/domain/ports/seats.port.js';
import type { Tx } from '../../../src/domain/ports/unit-of-work.port.js';
import type { FakeDb } from './fake-db.js';

export class FakeSeats implements SeatsPort {
  /** Set to false to lose the claim although available() said a seat was left (a race). */
  claimResult: boolean | null = null;
  claimCalls = 0;
  constructor(private readonly db: FakeDb) {}

  async available(): Promise<number | null> {
    return this.db.state.seatsLeft;
  }
  async claim(tx: Tx): Promise<boolean> {
    const state = this.db.inTx(tx);
    this.claimCalls += 1;
    if (this.claimResult !== null) return this.claimResult;
    if (state.seatsLeft === null) return true;
    if (state.seatsLeft <= 0) return false;
    state.seatsLeft -= 1;
    return true;
  }
}
