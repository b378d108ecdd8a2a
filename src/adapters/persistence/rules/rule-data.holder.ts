/*
 * What the enrolment rules hold about a person: the manual removals remembered for them (so that no
 * rule enrols them again), and, for an admin, the rules they created and the runs they started.
 */
import type { Knex } from 'knex';
import { inject, injectable } from 'inversify';
import { ERASED_NAME, type ErasureSubject, type KnownIdentity } from '../../../domain/privacy/erasure.js';
import type { PersonalDataHolder } from '../../../domain/ports/personal-data.port.js';
import type { Tx } from '../../../domain/ports/unit-of-work.port.js';
import { TYPES } from '../../../types.js';
import { on } from '../../shared/knex-helpers.js';
import { changed } from '../../shared/sql-lists.js';

/**
 * A removal remembered for the person is deleted with them: it holds nothing but their id, and an
 * erased account is suspended, so a rule enrolling it again opens nothing to anyone. Rules and runs
 * stay, attributed to nobody ("Erased user" where a name was shown).
 */
@injectable()
export class RuleDataHolder implements PersonalDataHolder {
  readonly id = 'enrolment rules';
  readonly tables = ['selfreg_rule_suppressions', 'selfreg_enrolment_rules', 'selfreg_rule_runs'];

  constructor(@inject(TYPES.Database) private readonly knex: Knex) {}

  async identify(userId: string, tx: Tx): Promise<KnownIdentity> {
    const rows: { name: string | null }[] = await on(this.knex, tx)('selfreg_rule_runs').where({ started_by: userId }).distinct({ name: 'started_by_name' });
    return { emails: [], names: rows.map((r) => r.name ?? '') };
  }

  async erase(subject: ErasureSubject, tx: Tx): Promise<number> {
    const db = on(this.knex, tx);
    const id = subject.userId;
    let n = 0;
    n += await changed(db, 'delete from selfreg_rule_suppressions where user_id = ? returning user_id', [id]);
    n += await changed(db, 'update selfreg_enrolment_rules set created_by = null where created_by = ? returning id', [id]);
    n += await changed(db, 'update selfreg_rule_runs set started_by = null, started_by_name = ? where started_by = ? returning id', [ERASED_NAME, id]);
    return n;
  }
}
