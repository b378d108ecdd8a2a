import type { Router } from 'express';

/**
 * Routes added under one of the manifest's route mounts (`routes[].id`): a public controller, an
 * admin page, an API resource or a settings panel's form endpoints. Several contributions may share
 * a mount; ManifestRoutes composes them into one router per mount, in binding order.
 */
export interface RouteContribution {
  /** The manifest route id whose mount these routes live under (e.g. `admin`, `register`). */
  readonly route: string;
  /** A fallback (404, error answer) composed after every other contribution to its mount, whichever module binds it first. */
  readonly last?: boolean;
  /** Adds the routes, with paths relative to the mount. */
  contribute(router: Router): void;
}
