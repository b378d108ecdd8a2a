import type { Router } from 'express';
import type { HttpPort, MountKind, Mounted } from '../../contract/index.js';

/**
 * The host's HTTP port, keeping a ledger of what is mounted now, so the lifecycle can check the
 * mounts against the manifest's routes. Everything else is passed through unchanged.
 */
export class MountLedger implements HttpPort {
  private readonly current = new Map<Mounted, { path: string; kind: MountKind }>();

  constructor(private readonly http: HttpPort) {}

  mount(path: string, router: Router, kind: MountKind): Mounted {
    const mounted = this.http.mount(path, router, kind);
    const entry: Mounted = {
      unmount: () => {
        this.current.delete(entry);
        mounted.unmount();
      },
    };
    this.current.set(entry, { path, kind });
    return entry;
  }

  /** What is mounted now, in mount order. */
  mounts(): { path: string; kind: MountKind }[] {
    return [...this.current.values()];
  }
}
