import type { Manifest } from './manifest.js';
import type { FeaturesPort } from '../domain/ports/features.port.js';

/** One declared feature as a given host can run it. */
export interface FeatureStatus {
  readonly id: string;
  readonly description: string;
  readonly enabled: boolean;
  /** Why it is off: each missing host part or the contract version needed, in a sentence. */
  readonly reasons: readonly string[];
}

function versionAtLeast(have: string, want: string): boolean {
  const h = /^(\d+)\.(\d+)\.(\d+)/.exec(have)?.slice(1).map(Number);
  const w = /^(\d+)\.(\d+)\.(\d+)/.exec(want)?.slice(1).map(Number);
  if (!h || !w) return false;
  for (let i = 0; i < 3; i++) if (h[i] !== w[i]) return h[i]! > w[i]!;
  return true;
}

/** Reads a dotted port path (`events.filter`, `reporting`) off the host object. */
function hasPart(host: Record<string, unknown>, part: string): boolean {
  let at: unknown = host;
  for (const key of part.split('.')) {
    if (!at || (typeof at !== 'object' && typeof at !== 'function')) return false;
    at = (at as Record<string, unknown>)[key];
  }
  return at !== undefined && at !== null;
}

/**
 * Which of the manifest's features a host can run. A feature is on when the host declares at least
 * the contract version it needs and offers every optional part (`ports`, dotted paths such as
 * `events.filter`) it names; otherwise it is off, with the reasons, and the rest of the plugin runs.
 */
export function resolveFeatures(manifest: Pick<Manifest, 'features'>, host: unknown): FeatureStatus[] {
  const h = (host && typeof host === 'object' ? host : {}) as Record<string, unknown>;
  const version = typeof h.apiVersion === 'string' ? h.apiVersion : '0.0.0';
  return manifest.features.map((f) => {
    const reasons: string[] = [];
    if (!versionAtLeast(version, f.needs.hostApi)) reasons.push(`it needs host API ${f.needs.hostApi}; the host implements ${version}`);
    for (const part of f.needs.ports) if (!hasPart(h, part)) reasons.push(`the host does not offer "${part}"`);
    return { id: f.id, description: f.description, enabled: reasons.length === 0, reasons };
  });
}

/** One line per feature that stays off, for the host's log at load. */
export function describeFeaturesOff(statuses: readonly FeatureStatus[]): string[] {
  return statuses.filter((s) => !s.enabled).map((s) => `${s.description} (${s.id}) is off: ${s.reasons.join('; ')}.`);
}

/**
 * The features as decided at register(). Asking about an id the manifest does not declare throws,
 * so code and manifest cannot drift apart.
 */
export class Features implements FeaturesPort {
  private readonly byId: Map<string, FeatureStatus>;

  constructor(readonly statuses: readonly FeatureStatus[]) {
    this.byId = new Map(statuses.map((s) => [s.id, s]));
  }

  enabled(feature: string): boolean {
    const status = this.byId.get(feature);
    if (!status) throw new Error(`plugin/manifest.json declares no feature "${feature}"`);
    return status.enabled;
  }

  list(): readonly FeatureStatus[] {
    return this.statuses;
  }
}
