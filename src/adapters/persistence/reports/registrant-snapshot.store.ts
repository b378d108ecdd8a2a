import type { Knex } from 'knex';
import { inject, injectable } from 'inversify';
import type { HostUser } from '../../../domain/shared/user.js';
import type { RegistrantSnapshotPort } from '../../../domain/ports/registrant-snapshot.port.js';
import { TYPES } from '../../../types.js';
import { REGISTRATIONS } from './report-sql.js';

/** The registrant's name, email and type on their registrations, through the (user_id, …) index. */
@injectable()
export class KnexRegistrantSnapshot implements RegistrantSnapshotPort {
  constructor(@inject(TYPES.Database) private readonly knex: Knex) {}

  async refresh(user: HostUser): Promise<void> {
    await this.knex(REGISTRATIONS).where({ user_id: user.id }).update({
      user_email: user.email.slice(0, 254), user_first_name: user.firstName.slice(0, 100), user_last_name: user.lastName.slice(0, 100), user_type: user.type,
    });
  }
}
