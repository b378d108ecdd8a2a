/*
 * Profiles: the parts of the host contract a host declares it implements. `core` is every host;
 * each optional part of the contract is a profile of its own, so a host that lacks one is told which
 * plugin features stay off instead of failing. To add a profile for a new optional part: add it here
 * (its id, the host parts it proves, the contract version), write its suite in conformance/suites/,
 * and list the suite in conformance/suites/index.ts.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export type ProfileId = 'core' | 'seats' | 'credentials' | 'panels' | 'reporting' | 'frame' | 'rules' | 'quarantine';

export interface Profile {
  readonly id: ProfileId;
  readonly title: string;
  /**
   * `required`: ports of contract 1.0 that register() refuses to load without (a host lacking one
   * cannot run the plugin at all); `optional`: a 1.1 part whose features stay off without it.
   */
  readonly kind: 'required' | 'optional';
  /** The host parts (dotted paths on the host object) the profile proves. */
  readonly parts: readonly string[];
  /** The contract version a host declaring the profile implements at least. */
  readonly hostApi: string;
}

export const PROFILES: readonly Profile[] = [
  {
    id: 'core', title: 'Core ports: users, enrolments, catalogue, portal, access, events, HTTP, logger, clock', kind: 'required',
    parts: ['database', 'users', 'enrolments', 'catalogue', 'portal', 'access', 'events', 'http', 'logger', 'clock'], hostApi: '1.0.0',
  },
  { id: 'seats', title: 'Subscription seats claimed atomically', kind: 'required', parts: ['seats'], hostApi: '1.0.0' },
  { id: 'credentials', title: 'Passwords and sign-in through the host session', kind: 'required', parts: ['credentials'], hostApi: '1.0.0' },
  { id: 'panels', title: 'Settings-panel slots', kind: 'required', parts: ['panels'], hostApi: '1.0.0' },
  { id: 'reporting', title: 'Item reports take the plugin’s columns and filters; learning events', kind: 'optional', parts: ['reports'], hostApi: '1.1.0' },
  { id: 'frame', title: 'The admin frame: the plugin’s pages in the host’s layout, its entries in the host’s admin menu', kind: 'optional', parts: ['layout', 'adminMenu'], hostApi: '1.1.0' },
  {
    id: 'rules', title: 'Enrolments with their source, withdrawal of one’s own enrolments, users by type', kind: 'optional',
    parts: ['enrolments.enrolFrom', 'enrolments.withdraw', 'users.listByType'], hostApi: '1.1.0',
  },
  { id: 'quarantine', title: 'The self-enrolment filter chain: the host asks before it lists or makes a self-enrolment', kind: 'optional', parts: ['events.filter'], hostApi: '1.1.0' },
];

export function profile(id: string): Profile {
  const found = PROFILES.find((p) => p.id === id);
  if (!found) throw new Error(`Unknown conformance profile "${id}" (known: ${PROFILES.map((p) => p.id).join(', ')})`);
  return found;
}

export interface DeclaredFeature {
  readonly id: string;
  readonly description: string;
  readonly needs: { readonly hostApi: string; readonly ports: readonly string[] };
}

const MANIFEST = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../plugin/manifest.json');

/** The features plugin/manifest.json declares (what a host reads to learn what each part turns on). */
export function manifestFeatures(): DeclaredFeature[] {
  const manifest = JSON.parse(readFileSync(MANIFEST, 'utf8')) as { features?: DeclaredFeature[] };
  return manifest.features ?? [];
}

const under = (part: string, base: string): boolean => part === base || part.startsWith(`${base}.`);

/** The manifest's features that need a part this profile proves: they stay off on a host without it. */
export function featuresOf(p: Profile, features: readonly DeclaredFeature[] = manifestFeatures()): DeclaredFeature[] {
  return features.filter((f) => f.needs.ports.some((part) => p.parts.some((base) => under(part, base))));
}

/** Reads a dotted part (`events.filter`) off a host object, as register() does. */
export function hostOffers(host: unknown, part: string): boolean {
  let at: unknown = host;
  for (const key of part.split('.')) {
    if (!at || (typeof at !== 'object' && typeof at !== 'function')) return false;
    at = (at as Record<string, unknown>)[key];
  }
  return at !== undefined && at !== null;
}

export function versionAtLeast(have: string, want: string): boolean {
  const h = /^(\d+)\.(\d+)\.(\d+)/.exec(have)?.slice(1).map(Number);
  const w = /^(\d+)\.(\d+)\.(\d+)/.exec(want)?.slice(1).map(Number);
  if (!h || !w) return false;
  for (let i = 0; i < 3; i++) if (h[i] !== w[i]) return h[i]! > w[i]!;
  return true;
}
