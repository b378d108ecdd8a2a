/*
 * Demo data for a fresh sandbox. The portal row follows the configuration on every start; people,
 * content (with lessons and quizzes) and demo learners' progress (seed-learning.ts) are created only
 * while `sandbox_users` is empty, so restarts change nothing.
 */
import type { Knex } from 'knex';
import type { SandboxConfig } from './config.js';
import { generatePassword, hashPassword } from './passwords.js';
import { seedLearning } from './seed-learning.js';

export interface SeededAccount {
  email: string;
  /** Absent for the super admin when it came from ADMIN_PASSWORD (never echoed). */
  password?: string;
  label: string;
}

export interface SeedResult {
  created: boolean;
  adminEmail: string;
  /** Only when created now and generated (not from ADMIN_PASSWORD). */
  adminPassword?: string;
  /** Every account created now, with its password (generated ones included). */
  accounts?: SeededAccount[];
}

type SeedConfig = Pick<SandboxConfig, 'adminEmail' | 'portalName' | 'timeZone' | 'seatLimit'> & { adminPassword?: string };

const TOPICS = [
  {
    title: 'Customer onboarding essentials',
    body: 'Welcome a new customer in their first 30 days.\n\n1. Call within one working day of sign-up and agree what success looks like.\n2. Share the getting-started guide and book a short walkthrough.\n3. Check in after two weeks: what is working, what is not?\n\nA good first month is the best predictor of renewal.',
  },
  {
    title: 'Product safety basics',
    body: 'Every product we sell comes with safety instructions. Read them before demonstrating a product, keep guards and covers in place, and report any damaged stock to your team leader the same day.\n\nIf a customer reports an injury, stop, make sure they are safe, then record what happened in the incident log.',
  },
  {
    title: 'Handling complaints well',
    body: 'Listen first, without interrupting. Thank the customer for telling us, apologise for how they feel, and say what you will do next and by when.\n\nWrite the complaint up within 24 hours, and follow up when you said you would, even if the answer is "not yet".',
  },
];

export async function seedDemo(knex: Knex, config: SeedConfig): Promise<SeedResult> {
  return knex.transaction(async (trx) => {
    await trx('sandbox_portal')
      .insert({ id: 1, name: config.portalName, primary_admin_email: config.adminEmail, time_zone: config.timeZone, seat_limit: config.seatLimit })
      .onConflict('id')
      .merge();

    // Serialise two sandboxes seeding the same database at once.
    await trx.raw('select pg_advisory_xact_lock(727002)');
    const existing = await trx.raw('select count(*)::int as n from sandbox_users');
    if (Number((existing.rows as { n: number }[])[0]?.n ?? 0) > 0) return { created: false, adminEmail: config.adminEmail };

    const adminPassword = config.adminPassword ?? generatePassword();
    const passwords = [adminPassword, generatePassword(), generatePassword(), generatePassword()];
    const accounts: SeededAccount[] = [
      { email: config.adminEmail, ...(config.adminPassword === undefined && { password: adminPassword }), label: 'Super admin' },
      { email: 'editor@example.com', password: passwords[1]!, label: 'Standard admin' },
      { email: 'sam.staff@example.com', password: passwords[2]!, label: 'Staff learner' },
      { email: 'chris.client@example.com', password: passwords[3]!, label: 'Client learner' },
    ];
    const people = [
      { first_name: 'Alex', last_name: 'Admin', type: 'staff', role: 'super_admin' },
      { first_name: 'Erin', last_name: 'Editor', type: 'staff', role: 'standard_admin' },
      { first_name: 'Sam', last_name: 'Staff', type: 'staff', role: null },
      { first_name: 'Chris', last_name: 'Client', type: 'client', role: null },
    ];
    const userIds: number[] = [];
    for (const [i, person] of people.entries()) {
      const [row] = await trx('sandbox_users')
        .insert({ ...person, email: accounts[i]!.email, status: 'active', password_hash: await hashPassword(passwords[i]!) })
        .returning('id');
      userIds.push((row as { id: number }).id);
    }

    const topicIds: number[] = [];
    for (const topic of TOPICS) {
      const [row] = await trx('sandbox_items').insert({ type: 'topic', origin: 'own', ...topic }).returning('id');
      topicIds.push((row as { id: number }).id);
    }
    const [article] = await trx('sandbox_items')
      .insert({
        type: 'article',
        origin: 'own',
        title: 'Our service promise',
        body: 'We answer every message within one working day, we explain what happens next, and we keep our word. This short article sets out what each team does to keep that promise.',
      })
      .returning('id');
    const [pathway] = await trx('sandbox_items')
      .insert({ type: 'pathway', origin: 'own', title: 'New starter pathway', body: 'Two topics every new colleague completes in their first week.' })
      .returning('id');
    const pathwayId = (pathway as { id: number }).id;
    await trx('sandbox_pathway_topics').insert([
      { pathway_id: pathwayId, topic_id: topicIds[0], position: 1 },
      { pathway_id: pathwayId, topic_id: topicIds[2], position: 2 },
    ]);
    const [library] = await trx('sandbox_items').insert({
      type: 'topic',
      origin: 'library',
      title: 'Workplace health and safety (library)',
      body: 'Imported from the content library: risk assessment, fire safety, first aid and reporting near misses.',
    }).returning('id');

    // The learners start with something on their dashboards.
    const articleId = String((article as { id: number }).id);
    await trx('sandbox_enrolments').insert([
      { user_id: userIds[2], item_type: 'pathway', item_id: String(pathwayId), source: 'seed' },
      { user_id: userIds[2], item_type: 'article', item_id: articleId, source: 'seed' },
      { user_id: userIds[3], item_type: 'topic', item_id: String(topicIds[1]), source: 'seed' },
    ]);

    // The catalogue: one item staff and clients may enrol in themselves, one a newcomer prospect may.
    await trx('sandbox_self_enrolment').insert([
      { item_id: topicIds[2], open_to: trx.raw("string_to_array('staff,client', ',')") },
      { item_id: (article as { id: number }).id, open_to: trx.raw("string_to_array('prospect', ',')") },
    ]);

    // Lessons and quizzes, and demo learners of every user type with progress for the reports.
    const idOf = (row: unknown): number => (row as { id: number }).id;
    await seedLearning(trx, {
      onboarding: topicIds[0]!, safety: topicIds[1]!, complaints: topicIds[2]!, article: idOf(article), pathway: pathwayId, library: idOf(library),
    }, new Date());

    return {
      created: true,
      adminEmail: config.adminEmail,
      ...(config.adminPassword === undefined && { adminPassword }),
      accounts,
    };
  });
}
