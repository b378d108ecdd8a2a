import type { HostUser } from '../../domain/shared/user.js';
import type { RegistrantSnapshotPort } from '../../domain/ports/registrant-snapshot.port.js';

/** The host changed an account: the reports show its registrations with the person as they are now. */
export class RefreshRegistrantUseCase {
  constructor(private readonly snapshots: RegistrantSnapshotPort) {}

  execute(change: { readonly user: HostUser }): Promise<void> {
    return this.snapshots.refresh(change.user);
  }
}
