/*
 * Kept so that existing imports of `test/support/fakes.js` keep working: the fakes live one per port
 * in test/support/fakes/. Import from there; this file goes once nothing imports it.
 */
export {
  FakeApiKeys, FakeAudit, FakeCatalogue, FakeClock, FakeDb, FakeEnrolments, FakeLinks, FakeLogger, FakeOutbox, FakePasswords, FakePortal,
  FakeRandom, FakeRateLimiter, FakeRegistrations, FakeSeatAlerts, FakeSeats, FakeSettings, FakeTokenRegistrations, FakeTokens, FakeUnitOfWork,
  FakeUsers, item, makeWorld, NOW, PORTAL, seedToken, sha256, sha256Hasher, tokenIn, user, type State, type StoredLink, type World,
} from './fakes/index.js';
