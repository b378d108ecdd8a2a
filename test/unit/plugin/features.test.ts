import { expect } from 'chai';
import { parseManifest, readManifest, type Manifest } from '../../../src/manifest/manifest.js';
import { describeFeaturesOff, Features, resolveFeatures } from '../../../src/manifest/features.js';
import { register } from '../../../src/plugin.js';
import { PLUGIN_ROOT } from '../../../src/adapters/views.js';
import { TYPES } from '../../../src/types.js';
import type { HostV1 } from '../../../src/contract/index.js';

const withFeatures = (features: Manifest['features']): Manifest => ({ ...readManifest(PLUGIN_ROOT), features });
const needsFilter: Manifest['features'] = [
  { id: 'demo.veto', description: 'A demo veto', needs: { hostApi: '1.1.0', ports: ['events.filter'] } },
  { id: 'demo.core', description: 'Something any 1.x host runs', needs: { hostApi: '1.0.0', ports: [] } },
];

function host(apiVersion: string, extra: Record<string, unknown> = {}): { host: HostV1; warnings: string[] } {
  const warnings: string[] = [];
  const h: Record<string, unknown> = { apiVersion };
  for (const port of readManifest(PLUGIN_ROOT).requiredPorts) h[port] = {};
  h.logger = { info() {}, error() {}, warn: (m: string) => warnings.push(m) };
  return { host: { ...h, ...extra } as unknown as HostV1, warnings };
}

describe('contract 1.1 features', () => {
  it('a 1.0 host runs the 1.0 features and is told which 1.1 ones stay off, and why', () => {
    const statuses = resolveFeatures(withFeatures(needsFilter), { apiVersion: '1.0.0', events: {} });
    expect(statuses.map((s) => [s.id, s.enabled])).to.deep.equal([['demo.veto', false], ['demo.core', true]]);
    expect(describeFeaturesOff(statuses)).to.deep.equal([
      'A demo veto (demo.veto) is off: it needs host API 1.1.0; the host implements 1.0.0; the host does not offer "events.filter".',
    ]);
  });

  it('a 1.1 host with the optional part runs the feature; one without it is told which part is missing', () => {
    const m = withFeatures(needsFilter);
    expect(resolveFeatures(m, { apiVersion: '1.1.0', events: { filter() {} } })[0]!.enabled).to.equal(true);
    const without = resolveFeatures(m, { apiVersion: '1.2.3', events: {} })[0]!;
    expect(without.enabled).to.equal(false);
    expect(without.reasons).to.deep.equal(['the host does not offer "events.filter"']);
  });

  it('register() loads a 1.0 host, warns once per feature off, and binds the decision for the code to read', () => {
    const { host: h, warnings } = host('1.0.0');
    const plugin = register(h, { secret: 'x'.repeat(32) }, withFeatures(needsFilter));
    expect(warnings).to.have.length(1);
    expect(warnings[0]).to.match(/^A demo veto \(demo\.veto\) is off/);
    expect(plugin.features.map((f) => f.enabled)).to.deep.equal([false, true]);
    const features = plugin.container.get<Features>(TYPES.Features);
    expect(features.enabled('demo.veto')).to.equal(false);
    expect(features.enabled('demo.core')).to.equal(true);
    expect(() => features.enabled('demo.unknown')).to.throw(/declares no feature "demo.unknown"/);
  });

  it('the manifest refuses duplicate feature ids and a version that is not x.y.z', () => {
    const parsed = parseManifest({ ...readManifest(PLUGIN_ROOT), features: [...needsFilter, needsFilter[0]!] });
    expect(parsed.ok).to.equal(false);
    if (!parsed.ok) expect(parsed.errors.join()).to.match(/feature ids must be unique/);
    const badVersion = parseManifest({ ...readManifest(PLUGIN_ROOT), features: [{ id: 'x', description: 'x', needs: { hostApi: '^1.1.0' } }] });
    expect(badVersion.ok).to.equal(false);
  });
});
