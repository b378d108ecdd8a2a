import type { AdminRole, HostUser, NewUser } from '../shared/user.js';
import type { Tx } from './unit-of-work.port.js';

export interface UsersPort {
  findById(id: string, tx?: Tx): Promise<HostUser | null>;
  /** Case-insensitive match on the whole address. */
  findByEmail(email: string, tx?: Tx): Promise<HostUser | null>;
  /** Creates an active user without a password. Emails are unique case-insensitively. */
  create(input: NewUser, tx?: Tx): Promise<HostUser>;
  /**
   * Optional: the users holding an admin role (e.g. every Super admin, who receive the seat-limit
   * alert). Without it the plugin writes to the portal's primary admin only.
   */
  listAdmins?(role: AdminRole, tx?: Tx): Promise<HostUser[]>;
}
