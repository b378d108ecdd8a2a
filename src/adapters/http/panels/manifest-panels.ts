import { inject, injectable, multiInject, optional } from 'inversify';
import type { PanelContext, PanelsPort } from '../../../contract/index.js';
import type { Manifest } from '../../../manifest/manifest.js';
import type { LifecycleContribution } from '../../../types.js';
import { TYPES } from '../../../types.js';
import type { SettingsPanel } from '../shared/settings-panel.js';

/**
 * Registers the settings panels exactly as plugin/manifest.json declares them (slot, id, title),
 * each rendered by the SettingsPanel that claims its id — so the manifest a host reads is what it gets.
 * A declared panel nobody renders, or a rendered one the manifest does not declare, fails start().
 */
@injectable()
export class ManifestPanels implements LifecycleContribution {
  private unregister: (() => void)[] = [];

  constructor(
    @inject(TYPES.Panels) private readonly panels: PanelsPort,
    @inject(TYPES.Manifest) private readonly manifest: Manifest,
    @multiInject(TYPES.SettingsPanel) @optional() private readonly settingsPanels: SettingsPanel[] = [],
  ) {}

  start(): void {
    this.stop();
    const renderers = new Map(this.settingsPanels.map((p) => [p.id, (ctx: PanelContext) => p.render(ctx)] as const));
    const twice = this.settingsPanels.map((p) => p.id).filter((id, i, ids) => ids.indexOf(id) !== i);
    if (twice.length) throw new Error(`Panels rendered twice: [${twice.join(', ')}]`);
    const declared = new Set(this.manifest.panels.map((p) => p.id));
    const undeclared = [...renderers.keys()].filter((id) => !declared.has(id));
    const unrendered = [...declared].filter((id) => !renderers.has(id));
    if (undeclared.length || unrendered.length) {
      throw new Error(`Panels and manifest disagree: not in the manifest [${undeclared.join(', ')}]; nothing renders [${unrendered.join(', ')}]`);
    }
    for (const { slot, id, title } of this.manifest.panels) {
      this.unregister.push(this.panels.register({ slot, id, title, render: renderers.get(id)! }));
    }
  }

  stop(): void {
    for (const off of this.unregister.splice(0)) off();
  }
}
