/*
 * Contract 1.1 enrolment sources in the sandbox host: enrolFrom, enrolSelected, withdraw, the
 * `also` enrolments of createEnrolled / createEnrolledStatement (host/enrolments.port.ts,
 * host/users.port.ts, the enrolment sources' migration).
 */
import { expect } from 'chai';
import type { Knex } from 'knex';
import type { HostV1, KnowledgeRef } from '../../../src/contract/index.js';
import { itemOf, newUser, settle, useHostPorts } from './host-ports.js';

describe('sandbox host: enrolment sources', function () {
  const ports = useHostPorts();
  let host: HostV1;
  let knex: Knex;
  before(() => {
    ({ host, knex } = ports);
  });

  const item = (type: KnowledgeRef['type'] = 'topic', title = 'T') => itemOf(knex, type, title);
  const sourceRow = async (userId: string, ref: KnowledgeRef) =>
    knex('sandbox_enrolments').where({ user_id: Number(userId), item_type: ref.type, item_id: ref.id }).first('source_kind', 'source_ref');
  const enrolledEvents = () => {
    const seen: { userId: string; item: KnowledgeRef }[] = [];
    const off = host.events.on('enrolment.created', (p) => void seen.push(p));
    return { seen, off };
  };

  describe('enrolFrom', () => {
    it('records the given source, is idempotent and keeps the first source', async () => {
      const user = await host.users.create(newUser('a@example.com'));
      const ref = await item();
      expect(await host.enrolments.enrolFrom!(user.id, ref, { kind: 'rule', ref: 'rule-1' })).to.deep.equal({ created: true });
      expect(await host.enrolments.enrolFrom!(user.id, ref, { kind: 'token', ref: 'tok-9' })).to.deep.equal({ created: false });
      expect(await host.enrolments.enrol(user.id, ref)).to.deep.equal({ created: false });
      expect(await sourceRow(user.id, ref)).to.deep.equal({ source_kind: 'rule', source_ref: 'rule-1' });
    });

    it('raises enrolment.created after commit only, and a rollback leaves nothing', async () => {
      const user = await host.users.create(newUser('b@example.com'));
      const ref = await item();
      const { seen, off } = enrolledEvents();
      try {
        await knex.transaction(async (trx) => {
          await host.enrolments.enrolFrom!(user.id, ref, { kind: 'token', ref: 't1' }, trx);
          throw new Error('roll back');
        }).catch(() => {});
        await settle();
        expect(seen).to.have.length(0);
        expect(await host.enrolments.isEnrolled(user.id, ref)).to.equal(false);
        await knex.transaction(async (trx) => {
          await host.enrolments.enrolFrom!(user.id, ref, { kind: 'token', ref: 't1' }, trx);
          await settle();
          expect(seen).to.have.length(0);
        });
        await settle();
        expect(seen).to.deep.equal([{ userId: user.id, item: ref }]);
      } finally {
        off();
      }
    });

    it('refuses an unknown source kind or a ref over 64 characters', async () => {
      const user = await host.users.create(newUser('c@example.com'));
      const ref = await item();
      for (const source of [{ kind: 'admin' }, { kind: 'rule', ref: 'x'.repeat(65) }]) {
        let failed = false;
        await host.enrolments.enrolFrom!(user.id, ref, source as never).catch(() => {
          failed = true;
        });
        expect(failed, JSON.stringify(source)).to.equal(true);
      }
      expect(await host.enrolments.isEnrolled(user.id, ref)).to.equal(false);
    });
  });

  describe('enrolSelected', () => {
    it('enrols every row of the select in one statement, skipping existing enrolments, unknown users and unknown items', async () => {
      const a = await host.users.create(newUser('sa@example.com'));
      const b = await host.users.create(newUser('sb@example.com'));
      const topic = await item('topic');
      const article = await item('article');
      await host.enrolments.enrolFrom!(b.id, topic, { kind: 'token', ref: 'tok' });
      const rows: [string, string, string][] = [
        [a.id, 'topic', topic.id], [a.id, 'article', article.id], [a.id, 'topic', topic.id], // a duplicate row
        [b.id, 'topic', topic.id], [b.id, 'article', article.id], // b is already in the topic
        ['999999', 'topic', topic.id], ['not-a-number', 'topic', topic.id], // no such user
        [a.id, 'pathway', topic.id], [a.id, 'topic', '999999'], [a.id, 'topic', 'x'], // no such item
      ];
      const select = {
        sql: `select v.u as user_id, v.t as item_type, v.i as item_id from (values ${rows.map(() => '(?, ?, ?)').join(', ')}) as v (u, t, i) where ? = ?`,
        bindings: [...rows.flat(), 'yes', 'yes'],
      };
      const { seen, off } = enrolledEvents();
      try {
        expect(await host.enrolments.enrolSelected!(select, { kind: 'rule', ref: 'r7' })).to.deep.equal({ created: 3 });
        expect(await host.enrolments.enrolSelected!(select, { kind: 'rule', ref: 'r7' })).to.deep.equal({ created: 0 });
        await settle();
        expect(seen, 'no event per row').to.have.length(0);
      } finally {
        off();
      }
      expect(await sourceRow(a.id, topic)).to.deep.equal({ source_kind: 'rule', source_ref: 'r7' });
      expect(await sourceRow(a.id, article)).to.deep.equal({ source_kind: 'rule', source_ref: 'r7' });
      expect(await sourceRow(b.id, topic), 'an existing enrolment keeps its source').to.deep.equal({ source_kind: 'token', source_ref: 'tok' });
      expect(await sourceRow(b.id, article)).to.deep.equal({ source_kind: 'rule', source_ref: 'r7' });
      expect(await knex('sandbox_enrolments')).to.have.length(4);
    });

    it('runs on the given transaction: a rollback leaves nothing', async () => {
      const a = await host.users.create(newUser('tx@example.com'));
      const topic = await item('topic');
      const select = { sql: 'select ?::text as user_id, ?::text as item_type, ?::text as item_id', bindings: [a.id, 'topic', topic.id] };
      await knex.transaction(async (trx) => {
        expect(await host.enrolments.enrolSelected!(select, { kind: 'rule', ref: 'r' }, trx)).to.deep.equal({ created: 1 });
        expect(await host.enrolments.isEnrolled(a.id, topic, trx)).to.equal(true);
        throw new Error('roll back');
      }).catch(() => {});
      expect(await host.enrolments.isEnrolled(a.id, topic)).to.equal(false);
    });

    it('joins the host\'s own selectByType (a backfill in one statement)', async () => {
      const prospect = await host.users.create(newUser('p@example.com'));
      await host.users.create({ ...newUser('s@example.com'), type: 'staff' });
      const topic = await item('topic');
      const users = host.users.selectByType!(['prospect']);
      const select = { sql: `select u.id as user_id, 'topic' as item_type, ?::text as item_id from (${users.sql}) as u`, bindings: [topic.id, ...users.bindings] };
      expect(await host.enrolments.enrolSelected!(select, { kind: 'rule', ref: 'r' })).to.deep.equal({ created: 1 });
      expect(await host.enrolments.isEnrolled(prospect.id, topic)).to.equal(true);
    });
  });

  describe('withdraw', () => {
    async function withLesson(): Promise<{ ref: KnowledgeRef; lessonId: number; questionId: number }> {
      const ref = await item('topic');
      const [lesson] = await knex('sandbox_lessons').insert({ item_id: Number(ref.id), position: 1, title: 'L', body: '' }).returning('id');
      await knex('sandbox_quizzes').insert({ item_id: Number(ref.id), pass_mark: 50 });
      const [question] = await knex('sandbox_quiz_questions').insert({ item_id: Number(ref.id), position: 1, prompt: 'Q', options: JSON.stringify(['a', 'b']), correct: 0 }).returning('id');
      return { ref, lessonId: (lesson as { id: number }).id, questionId: (question as { id: number }).id };
    }

    it('answers not_enrolled and other_source without removing anything', async () => {
      const user = await host.users.create(newUser('w1@example.com'));
      const ref = await item();
      expect(await host.enrolments.withdraw!(user.id, ref, { source: { kind: 'rule', ref: 'r1' } })).to.deep.equal({ withdrawn: false, reason: 'not_enrolled' });
      expect(await host.enrolments.withdraw!('nope', ref, { source: { kind: 'rule', ref: 'r1' } })).to.deep.equal({ withdrawn: false, reason: 'not_enrolled' });
      await host.enrolments.enrolFrom!(user.id, ref, { kind: 'rule', ref: 'r1' });
      for (const source of [{ kind: 'rule' as const, ref: 'r2' }, { kind: 'rule' as const }, { kind: 'token' as const, ref: 'r1' }, { kind: 'other' as const }]) {
        expect(await host.enrolments.withdraw!(user.id, ref, { source }), JSON.stringify(source)).to.deep.equal({ withdrawn: false, reason: 'other_source' });
      }
      const other = await item();
      await host.enrolments.enrol(user.id, other);
      expect(await host.enrolments.withdraw!(user.id, other, { source: { kind: 'rule', ref: 'r1' } })).to.deep.equal({ withdrawn: false, reason: 'other_source' });
      expect(await host.enrolments.isEnrolled(user.id, ref)).to.equal(true);
      expect(await host.enrolments.isEnrolled(user.id, other)).to.equal(true);
    });

    it('withdraws an enrolment of the source that the learner only opened, raising no enrolment.deleted', async () => {
      const user = await host.users.create(newUser('w2@example.com'));
      const { ref } = await withLesson();
      await host.enrolments.enrolFrom!(user.id, ref, { kind: 'rule', ref: 'r1' });
      expect(await ports.t.sandbox.learning.open(user.id, ref)).to.equal(true);
      const deleted: unknown[] = [];
      const off = host.events.on('enrolment.deleted', (p) => void deleted.push(p));
      try {
        expect(await host.enrolments.withdraw!(user.id, ref, { source: { kind: 'rule', ref: 'r1' } })).to.deep.equal({ withdrawn: true });
        await settle();
        expect(deleted).to.have.length(0);
      } finally {
        off();
      }
      expect(await host.enrolments.isEnrolled(user.id, ref)).to.equal(false);
      expect(await knex('sandbox_learning').where({ user_id: Number(user.id) }), 'the untouched record went with it').to.have.length(0);
      expect(await host.enrolments.withdraw!(user.id, ref, { source: { kind: 'rule', ref: 'r1' } })).to.deep.equal({ withdrawn: false, reason: 'not_enrolled' });
    });

    it('refuses once the learner did a lesson or answered the quiz (started)', async () => {
      const lessonDone = await host.users.create(newUser('w3@example.com'));
      const answered = await host.users.create(newUser('w4@example.com'));
      const { ref, lessonId, questionId } = await withLesson();
      const rule = { source: { kind: 'rule' as const, ref: 'r1' } };
      for (const u of [lessonDone, answered]) await host.enrolments.enrolFrom!(u.id, ref, rule.source);
      expect(await ports.t.sandbox.learning.markLessonDone(lessonDone.id, ref, String(lessonId))).to.equal(true);
      expect(await ports.t.sandbox.learning.submitQuiz(answered.id, ref, new Map([[String(questionId), 1]]))).to.equal('saved');
      for (const u of [lessonDone, answered]) {
        expect(await host.enrolments.withdraw!(u.id, ref, rule)).to.deep.equal({ withdrawn: false, reason: 'started' });
        expect(await host.enrolments.isEnrolled(u.id, ref)).to.equal(true);
      }
    });

    it('refuses for a pathway whose topic the learner started', async () => {
      const user = await host.users.create(newUser('w5@example.com'));
      const { ref: topic, lessonId } = await withLesson();
      const pathway = await item('pathway', 'P');
      await knex('sandbox_pathway_topics').insert({ pathway_id: Number(pathway.id), topic_id: Number(topic.id), position: 1 });
      await host.enrolments.enrolFrom!(user.id, pathway, { kind: 'rule', ref: 'r1' });
      expect(await host.enrolments.withdraw!(user.id, pathway, { source: { kind: 'rule', ref: 'r1' } }), 'nothing done yet').to.deep.equal({ withdrawn: true });
      await host.enrolments.enrolFrom!(user.id, pathway, { kind: 'rule', ref: 'r1' });
      expect(await ports.t.sandbox.learning.markLessonDone(user.id, topic, String(lessonId))).to.equal(true);
      expect(await host.enrolments.withdraw!(user.id, pathway, { source: { kind: 'rule', ref: 'r1' } })).to.deep.equal({ withdrawn: false, reason: 'started' });
    });

    it('runs on the given transaction: a rollback keeps the enrolment', async () => {
      const user = await host.users.create(newUser('w6@example.com'));
      const ref = await item();
      await host.enrolments.enrolFrom!(user.id, ref, { kind: 'rule', ref: 'r1' });
      await knex.transaction(async (trx) => {
        expect(await host.enrolments.withdraw!(user.id, ref, { source: { kind: 'rule', ref: 'r1' } }, trx)).to.deep.equal({ withdrawn: true });
        expect(await host.enrolments.isEnrolled(user.id, ref, trx)).to.equal(false);
        throw new Error('roll back');
      }).catch(() => {});
      expect(await host.enrolments.isEnrolled(user.id, ref)).to.equal(true);
    });
  });

  describe('createEnrolled with options', () => {
    it('records the registration\'s source and makes the `also` enrolments, each idempotent, skipping unknown items', async () => {
      const main = await item('topic', 'Main');
      const extra = await item('article', 'Extra');
      const { seen, off } = enrolledEvents();
      try {
        const result = await knex.transaction((trx) => host.users.createEnrolled!(newUser('r1@example.com'), main, trx, {
          source: { kind: 'token', ref: 'tok-1' },
          also: [
            { item: extra, source: { kind: 'rule', ref: 'rule-1' } },
            { item: extra, source: { kind: 'rule', ref: 'rule-2' } }, // the same item twice: the first wins
            { item: main, source: { kind: 'rule', ref: 'rule-3' } }, // already enrolled by the registration
            { item: { type: 'topic', id: '999999' }, source: { kind: 'rule', ref: 'rule-4' } },
          ],
        }));
        expect(result.kind).to.equal('created');
        const user = (result as { user: { id: string } }).user;
        expect(await sourceRow(user.id, main)).to.deep.equal({ source_kind: 'token', source_ref: 'tok-1' });
        expect(await sourceRow(user.id, extra)).to.deep.equal({ source_kind: 'rule', source_ref: 'rule-1' });
        expect(await knex('sandbox_enrolments').where({ user_id: Number(user.id) })).to.have.length(2);
        await settle();
        expect(seen.map((e) => e.item).sort((a, b) => a.type.localeCompare(b.type))).to.deep.equal([extra, main]);
      } finally {
        off();
      }
    });

    it('makes no enrolment when the email is taken', async () => {
      const main = await item('topic', 'Main');
      const extra = await item('article', 'Extra');
      const taken = await host.users.create(newUser('taken@example.com'));
      const result = await knex.transaction((trx) => host.users.createEnrolled!(newUser('TAKEN@example.com'), main, trx, { also: [{ item: extra, source: { kind: 'rule', ref: 'r' } }] }));
      expect(result).to.deep.equal({ kind: 'exists', raced: false });
      expect(await knex('sandbox_enrolments').where({ user_id: Number(taken.id) })).to.have.length(0);
    });

    it('the statement path: one statement with the `also` enrolments, run on the plugin\'s transaction; a rollback leaves nothing and raises nothing', async () => {
      const main = await item('topic', 'Main');
      const extra = await item('article', 'Extra');
      const options = { source: { kind: 'token' as const, ref: 'tok-2' }, also: [{ item: extra, source: { kind: 'rule' as const, ref: 'rule-9' } }] };
      const statement = host.users.createEnrolledStatement!(newUser('st@example.com'), main, options);
      expect(statement.sql.trim().toLowerCase()).to.match(/^select /);
      expect(statement.sql).not.to.contain(';');
      const { seen, off } = enrolledEvents();
      try {
        await knex.transaction(async (trx) => {
          const row = (await trx.raw(statement.sql, statement.bindings as never)).rows[0];
          expect(statement.read(row).kind).to.equal('created');
          throw new Error('roll back');
        }).catch(() => {});
        await settle();
        expect(await host.users.findByEmail('st@example.com')).to.equal(null);
        expect(await knex('sandbox_enrolments')).to.have.length(0);

        const again = host.users.createEnrolledStatement!(newUser('st@example.com'), main, options);
        const row = (await knex.raw(again.sql, again.bindings as never)).rows[0];
        const result = again.read(row);
        again.committed(row);
        expect(result.kind).to.equal('created');
        const user = (result as { user: { id: string } }).user;
        expect(await sourceRow(user.id, main)).to.deep.equal({ source_kind: 'token', source_ref: 'tok-2' });
        expect(await sourceRow(user.id, extra)).to.deep.equal({ source_kind: 'rule', source_ref: 'rule-9' });
        await settle();
        expect(seen.map((e) => e.item.type).sort()).to.deep.equal(['article', 'topic']);
      } finally {
        off();
      }
    });

    it('without options, the registration\'s enrolment is `other`', async () => {
      const main = await item('topic', 'Main');
      const result = await knex.transaction((trx) => host.users.createEnrolled!(newUser('plain@example.com'), main, trx));
      expect(await sourceRow((result as { user: { id: string } }).user.id, main)).to.deep.equal({ source_kind: 'other', source_ref: null });
    });
  });
});
