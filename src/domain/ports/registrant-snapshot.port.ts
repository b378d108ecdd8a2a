import type { HostUser } from '../shared/user.js';

/** The registrant as the reports show them, kept true when the host changes or deletes the account. */
export interface RegistrantSnapshotPort {
  refresh(user: HostUser): Promise<void>;
  erase(userId: string): Promise<void>;
}
