/*
 * Every conformance test, in the order they run: the profiles first, then each port's promises, then
 * the real plugin on the host. A new profile's suite is added here (and its profile in kit/profiles.ts).
 */
import type { ConformanceTest } from '../kit/define.js';
import { credentialsSuite, sessionsSuite } from './credentials.js';
import { catalogueSuite, enrolmentsSuite, portalSuite, usersSuite } from './data-ports.js';
import { eventsSuite } from './events.js';
import { createEnrolledSuite, lookupsSuite, refusalSuite, statementSuite } from './fast-paths.js';
import { framedPluginSuite, frameSuite, menuSuite, standaloneTests } from './frame.js';
import { accessSuite, httpSuite } from './http-access.js';
import { panelsSuite } from './panels.js';
import { journeysSuite } from './journeys.js';
import { optionalSuite, pluginSuite, versionSuite } from './plugin.js';
import { profileTests } from './profiles.js';
import { quarantineSuite } from './quarantine.js';
import { learningSuite, reportingSuite } from './reporting.js';
import { rulesSuite } from './rules.js';
import { seatsSuite } from './seats.js';

export const ALL_TESTS: readonly ConformanceTest[] = [
  ...profileTests,
  ...usersSuite, ...enrolmentsSuite, ...catalogueSuite, ...lookupsSuite, ...portalSuite,
  ...eventsSuite, ...httpSuite, ...accessSuite,
  ...seatsSuite, ...createEnrolledSuite, ...statementSuite, ...refusalSuite,
  ...credentialsSuite, ...sessionsSuite,
  ...panelsSuite,
  ...reportingSuite, ...learningSuite,
  ...frameSuite, ...menuSuite,
  ...rulesSuite, ...quarantineSuite,
  ...pluginSuite, ...journeysSuite, ...optionalSuite, ...versionSuite,
  ...framedPluginSuite, ...standaloneTests,
];

const ids = new Set<string>();
for (const t of ALL_TESTS) {
  if (ids.has(t.id)) throw new Error(`Two conformance tests share the id ${t.id}`);
  ids.add(t.id);
}
