import { expect } from 'chai';
import type { PanelDefinition, PanelsPort } from '../../../src/contract/index.js';
import { ManifestPanels } from '../../../src/adapters/http/panels/manifest-panels.js';
import type { SettingsPanel } from '../../../src/adapters/http/shared/settings-panel.js';
import { readManifest } from '../../../src/manifest/manifest.js';
import { PLUGIN_ROOT } from '../../../src/adapters/views.js';

class RecordingPanels implements PanelsPort {
  readonly live = new Map<string, PanelDefinition>();
  register(panel: PanelDefinition): () => void {
    this.live.set(panel.id, panel);
    return () => this.live.delete(panel.id);
  }
}

const manifest = readManifest(PLUGIN_ROOT);
const rendering = (ids: string[]): SettingsPanel[] => ids.map((id) => ({ id, render: async () => `<p>${id}</p>` }));

describe('settings panels come from the manifest', () => {
  it('registers every declared panel with the manifest’s slot and title, and removes them on stop', async () => {
    const host = new RecordingPanels();
    const ids = manifest.panels.map((p) => p.id);
    const panels = new ManifestPanels(host, manifest, [...rendering(ids.slice(0, 2)), ...rendering(ids.slice(2))]);
    panels.start();
    expect([...host.live.values()].map(({ slot, id, title }) => ({ slot, id, title }))).to.deep.equal(manifest.panels);
    expect(await host.live.get(ids[0]!)!.render({} as never)).to.equal(`<p>${ids[0]}</p>`);
    panels.start(); // a second start replaces, never doubles
    expect(host.live.size).to.equal(ids.length);
    panels.stop();
    expect(host.live.size).to.equal(0);
  });

  it('refuses to start when a declared panel has no renderer, or a renderer is undeclared', () => {
    const ids = manifest.panels.map((p) => p.id);
    expect(() => new ManifestPanels(new RecordingPanels(), manifest, rendering(ids.slice(1))).start()).to.throw(`nothing renders [${ids[0]}]`);
    expect(() => new ManifestPanels(new RecordingPanels(), manifest, rendering([...ids, 'self-registration.stray'])).start()).to.throw('not in the manifest [self-registration.stray]');
    expect(() => new ManifestPanels(new RecordingPanels(), manifest, rendering([...ids, ids[0]!])).start()).to.throw(`rendered twice: [${ids[0]}]`);
  });
});
