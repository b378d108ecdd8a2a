import type { Knex } from 'knex';

/*
 * Evidence of consent: when the organisation links its terms of use or privacy notice, the public
 * form asks registrants to agree. Each registration made on that form records when they agreed and
 * which links they were shown (null when nothing was asked, and for rows older than this migration).
 * Only the links are kept, as shown then: the texts behind them are the organisation's to version.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('selfreg_registrations', (t) => {
    t.timestamp('consented_at', { useTz: true }).nullable();
    t.string('consent_terms_url', 2048).nullable();
    t.string('consent_privacy_url', 2048).nullable();
  });
  // A known email is sent a sign-in link; the enrolment (and its registration row) is made when the
  // link is used, so the consent given on the form travels with the link until then.
  await knex.schema.alterTable('selfreg_email_links', (t) => {
    t.timestamp('consented_at', { useTz: true }).nullable();
    t.string('consent_terms_url', 2048).nullable();
    t.string('consent_privacy_url', 2048).nullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('selfreg_email_links', (t) => {
    t.dropColumn('consent_privacy_url');
    t.dropColumn('consent_terms_url');
    t.dropColumn('consented_at');
  });
  await knex.schema.alterTable('selfreg_registrations', (t) => {
    t.dropColumn('consent_privacy_url');
    t.dropColumn('consent_terms_url');
    t.dropColumn('consented_at');
  });
}
