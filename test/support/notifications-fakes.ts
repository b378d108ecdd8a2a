/*
 * Kept so that existing imports of `test/support/notifications-fakes.js` keep working: these fakes
 * live one per port in test/support/fakes/. Import from there; this file goes once nothing imports it.
 */
export { FakeDigestStore, FakeMailQueue, FakeNotificationSettings } from './fakes/index.js';
