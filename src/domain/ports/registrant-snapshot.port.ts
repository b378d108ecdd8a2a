import type { HostUser } from '../shared/user.js';

/** The registrant as the reports show them, kept true when the host changes the account (a deleted or erased one is erased: PersonalDataHolder). */
export interface RegistrantSnapshotPort {
  refresh(user: HostUser): Promise<void>;
}
