import type { Router } from 'express';
import type { PanelContext } from '../../../contract/index.js';
import type { RouteContribution } from './route-contribution.js';

/**
 * The one shape of a settings panel: it renders under the manifest panel id it names, and owns the
 * form endpoints it posts to (mounted under the manifest route `route`, like any RouteContribution).
 * A panel without a form leaves `route` and `contribute` out.
 */
export interface SettingsPanel extends Partial<RouteContribution> {
  /** The manifest's panel id (`panels[].id`). */
  readonly id: string;
  /** Trusted HTML, or null to hide the panel for this viewer. */
  render(ctx: PanelContext): Promise<string | null>;
  contribute?(router: Router): void;
}
