import express from 'express';
import { inject, injectable, multiInject, optional } from 'inversify';
import type { HttpPort, MountKind, Mounted } from '../../contract/index.js';
import type { Manifest } from '../../manifest/manifest.js';
import type { LifecycleContribution } from '../../types.js';
import { TYPES } from '../../types.js';
import type { RouteContribution } from './shared/route-contribution.js';
import { refuseNul } from './shared/refuse-nul.js';

/**
 * Mounts one router per route the manifest declares, composed of every contribution to it, with the
 * manifest's mount path and kind — so the manifest a host reads is what it gets. A contribution to a
 * route the manifest does not declare fails start().
 */
@injectable()
export class ManifestRoutes implements LifecycleContribution {
  private mounted: Mounted[] = [];

  constructor(
    @inject(TYPES.Http) private readonly http: HttpPort,
    @inject(TYPES.Manifest) private readonly manifest: Manifest,
    @multiInject(TYPES.RouteContribution) @optional() private readonly contributions: RouteContribution[] = [],
  ) {}

  start(): void {
    this.stop();
    const declared = new Map(this.manifest.routes.map((r) => [r.id, r]));
    const unknown = [...new Set(this.contributions.map((c) => c.route).filter((id) => !declared.has(id)))];
    if (unknown.length) throw new Error(`Routes and manifest disagree: routes contributed to undeclared mounts [${unknown.join(', ')}]`);
    for (const route of this.manifest.routes) {
      const forRoute = this.contributions.filter((c) => c.route === route.id);
      const mine = [...forRoute.filter((c) => !c.last), ...forRoute.filter((c) => c.last)];
      if (mine.length === 0) continue;
      const router = express.Router();
      router.use(refuseNul(route.kind as MountKind));
      for (const c of mine) c.contribute(router);
      this.mounted.push(this.http.mount(route.mount, router, route.kind as MountKind));
    }
  }

  stop(): void {
    for (const m of this.mounted.splice(0)) m.unmount();
  }
}
