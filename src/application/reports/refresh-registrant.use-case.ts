import type { HostUser } from '../../domain/shared/user.js';
import type { RegistrantSnapshotPort } from '../../domain/ports/registrant-snapshot.port.js';

/** The host changed or deleted an account: the reports show its registrations with the person as they are now (or without them). */
export class RefreshRegistrantUseCase {
  constructor(private readonly snapshots: RegistrantSnapshotPort) {}

  execute(change: { readonly user: HostUser } | { readonly deletedUserId: string }): Promise<void> {
    return 'user' in change ? this.snapshots.refresh(change.user) : this.snapshots.erase(change.deletedUserId);
  }
}
