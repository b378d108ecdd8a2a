import type { HostUser, NewUser } from '../../../src/domain/shared/user.js';
import type { UsersPort } from '../../../src/domain/ports/users.port.js';
import type { Tx } from '../../../src/domain/ports/unit-of-work.port.js';
import type { FakeDb } from './fake-db.js';

export class FakeUsers implements UsersPort {
  readonly createCalls: NewUser[] = [];
  constructor(private readonly db: FakeDb) {}

  async findById(id: string): Promise<HostUser | null> {
    return this.db.state.users.find((u) => u.id === id) ?? null;
  }
  async findByEmail(email: string): Promise<HostUser | null> {
    return this.db.state.users.find((u) => u.email.toLowerCase() === email.toLowerCase()) ?? null;
  }
  async create(input: NewUser, tx?: Tx): Promise<HostUser> {
    const state = this.db.inTx(tx);
    this.createCalls.push(input);
    if (state.users.some((u) => u.email.toLowerCase() === input.email.toLowerCase())) throw new Error('duplicate email');
    const user: HostUser = {
      id: this.db.newId('user-'), email: input.email, firstName: input.firstName, lastName: input.lastName,
      type: input.type, role: null, status: 'active',
    };
    state.users.push(user);
    return user;
  }
}
