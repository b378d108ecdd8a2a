import type { RegistrationPorts } from '../../../src/application/registration/registration-use-cases.js';
import { FakeApiKeys } from './api-keys.fake.js';
import { FakeAudit } from './audit.fake.js';
import { FakeCatalogue } from './catalogue.fake.js';
import { FakeClock } from './clock.fake.js';
import { FakeEnrolments } from './enrolments.fake.js';
import { FakeDb } from './fake-db.js';
import { sha256Hasher } from './hasher.fake.js';
import { FakeLinkPaths } from './link-paths.fake.js';
import { FakeLinks } from './links.fake.js';
import { FakeLogger } from './logger.fake.js';
import { FakeOutbox } from './outbox.fake.js';
import { FakePasswords } from './passwords.fake.js';
import { FakePortal } from './portal.fake.js';
import { FakeRandom } from './random.fake.js';
import { FakeRegistrations } from './registrations.fake.js';
import { FakeSeats } from './seats.fake.js';
import { NOW, PORTAL } from './seeds.js';
import { FakeSettings } from './settings.fake.js';
import { FakeTokenRegistrations } from './token-registrations.fake.js';
import { FakeTokens } from './tokens.fake.js';
import { FakeUnitOfWork } from './unit-of-work.fake.js';
import { FakeUsers } from './users.fake.js';

/** Every fake, wired to one FakeDb; `ports` is the same world typed as the registration use cases' ports. */
export function makeWorld(now: Date = NOW) {
  const db = new FakeDb();
  const world = {
    db,
    uow: new FakeUnitOfWork(db),
    clock: new FakeClock(now),
    random: new FakeRandom(),
    hasher: sha256Hasher,
    users: new FakeUsers(db),
    enrolments: new FakeEnrolments(db),
    catalogue: new FakeCatalogue(db),
    portal: new FakePortal(PORTAL),
    seats: new FakeSeats(db),
    passwords: new FakePasswords(db),
    tokens: new FakeTokens(db),
    registrations: new FakeRegistrations(db),
    links: new FakeLinks(db),
    outbox: new FakeOutbox(db),
    settings: new FakeSettings(db),
    logger: new FakeLogger(),
    linkPaths: new FakeLinkPaths(),
    audit: new FakeAudit(db),
    apiKeys: new FakeApiKeys(db),
    tokenRegistrations: new FakeTokenRegistrations(db),
  };
  const ports: RegistrationPorts = world;
  return { ...world, ports };
}

export type World = ReturnType<typeof makeWorld>;
