/*
 * The four reports of an item — logins, progress, outcomes, answers — over the item's learners
 * (everyone enrolled in it or holding a learning record in it; a pathway's topics count for its
 * answers). Each is a column list and one ordered query; the host's own filters (user type, and the
 * users the plugin's filters keep) narrow that query, for the screen and the CSV alike.
 */
import type { Knex } from 'knex';
import type { HostReportId, ReportUserType } from '../../src/contract/index.js';
import type { ItemRow } from '../host/records.js';

export type CellKind = 'text' | 'number' | 'time';
export type ReportRow = Record<string, unknown> & { user_id: number };

export interface HostColumn {
  readonly id: string;
  readonly label: string;
  readonly kind: CellKind;
  value(row: ReportRow): string | number | Date | null;
}

export interface HostFilters {
  readonly userType: ReportUserType | null;
  /** Only these users (what the plugin's filters keep); null: not narrowed. */
  readonly userIds: readonly number[] | null;
}

export interface ReportDefinition {
  readonly id: HostReportId;
  readonly title: string;
  readonly summary: string;
  columns(db: Knex, item: ItemRow): Promise<HostColumn[]>;
  query(db: Knex, item: ItemRow, filters: HostFilters): Knex.QueryBuilder;
}

export const USER_TYPE_LABELS: Record<ReportUserType, string> = { staff: 'Staff', client: 'Client', prospect: 'Prospect' };
const OUTCOME_LABELS: Record<string, string> = { passed: 'Passed', failed: 'Failed', completed: 'Completed' };

const text = (id: string, label: string, value: (r: ReportRow) => string | null): HostColumn => ({ id, label, kind: 'text', value });
const number = (id: string, label: string, key: string): HostColumn => ({ id, label, kind: 'number', value: (r) => (r[key] === null || r[key] === undefined ? null : Number(r[key])) });
const time = (id: string, label: string, key: string): HostColumn => ({ id, label, kind: 'time', value: (r) => (r[key] ? new Date(r[key] as string | Date) : null) });

const PERSON: HostColumn[] = [
  text('name', 'Name', (r) => `${String(r.first_name)} ${String(r.last_name)}`),
  text('email', 'Email', (r) => String(r.email)),
  text('userType', 'User type', (r) => USER_TYPE_LABELS[r.user_type as ReportUserType] ?? String(r.user_type)),
];

const status = text('status', 'Status', (r) => (!r.started_at ? 'Not started' : r.completed_at ? 'Completed' : 'In progress'));

/** The item's learners, narrowed by the host's filters, with their enrolment and learning record. */
function learners(db: Knex, item: ItemRow, filters: HostFilters): Knex.QueryBuilder {
  const type = item.type;
  const id = String(item.id);
  const query = db
    .from(db.raw('(select user_id from sandbox_enrolments where item_type = ? and item_id = ? union select user_id from sandbox_learning where item_type = ? and item_id = ?) as p', [type, id, type, id]))
    .join('sandbox_users as u', 'u.id', 'p.user_id')
    .leftJoin('sandbox_enrolments as e', function joinEnrolment() {
      this.on('e.user_id', '=', 'u.id').andOnVal('e.item_type', '=', type).andOnVal('e.item_id', '=', id);
    })
    .leftJoin('sandbox_learning as l', function joinRecord() {
      this.on('l.user_id', '=', 'u.id').andOnVal('l.item_type', '=', type).andOnVal('l.item_id', '=', id);
    })
    .select('u.id as user_id', 'u.first_name', 'u.last_name', 'u.email', 'u.type as user_type', 'e.created_at as enrolled_at',
      'l.started_at', 'l.percent', 'l.completed_at', 'l.outcome', 'l.score', 'l.updated_at');
  if (filters.userType) query.where('u.type', filters.userType);
  if (filters.userIds) query.whereRaw("u.id = any(string_to_array(?, ',')::int[])", [filters.userIds.join(',')]);
  return query;
}

const byPerson = (query: Knex.QueryBuilder): Knex.QueryBuilder => query.orderByRaw('lower(u.last_name), lower(u.first_name), u.id');

async function stepsOf(db: Knex, item: ItemRow): Promise<number> {
  const row = item.type === 'pathway'
    ? await db('sandbox_pathway_topics').where({ pathway_id: item.id }).count<{ n: string | number }[]>({ n: '*' })
    : await db('sandbox_lessons').where({ item_id: item.id }).count<{ n: string | number }[]>({ n: '*' });
  return Number(row[0]?.n ?? 0);
}

const logins: ReportDefinition = {
  id: 'logins',
  title: 'Logins',
  summary: 'How often each learner of this item signs in to the portal.',
  async columns() {
    return [...PERSON, time('enrolledAt', 'Enrolled at', 'enrolled_at'), number('signIns', 'Sign-ins', 'sign_ins'),
      time('firstSignIn', 'First sign-in', 'first_at'), time('lastSignIn', 'Last sign-in', 'last_at')];
  },
  query(db, item, filters) {
    return byPerson(learners(db, item, filters)
      .joinRaw('left join lateral (select count(*)::int as sign_ins, min(si.at) as first_at, max(si.at) as last_at from sandbox_sign_ins si where si.user_id = u.id) s on true')
      .select('s.sign_ins', 's.first_at', 's.last_at'));
  },
};

const progress: ReportDefinition = {
  id: 'progress',
  title: 'Progress',
  summary: 'How far each learner has come.',
  async columns(db, item) {
    const steps = await stepsOf(db, item);
    const done = item.type === 'pathway' ? `Topics completed (of ${steps})` : `Lessons done (of ${steps})`;
    return [...PERSON, status, { id: 'percent', label: 'Progress (%)', kind: 'number', value: (r) => Number(r.percent ?? 0) }, number('stepsDone', done, 'steps_done'),
      time('startedAt', 'Started at', 'started_at'), time('lastActivity', 'Last activity', 'updated_at')];
  },
  query(db, item, filters) {
    const steps = item.type === 'pathway'
      ? `left join lateral (select count(*)::int as steps_done from sandbox_pathway_topics pt join sandbox_learning tl
          on tl.item_type = 'topic' and tl.item_id = pt.topic_id::text and tl.user_id = u.id where pt.pathway_id = ? and tl.completed_at is not null) d on true`
      : `left join lateral (select count(*)::int as steps_done from sandbox_lesson_progress lp join sandbox_lessons le
          on le.id = lp.lesson_id where le.item_id = ? and lp.user_id = u.id) d on true`;
    return byPerson(learners(db, item, filters).joinRaw(steps, [item.id]).select('d.steps_done'));
  },
};

const outcomes: ReportDefinition = {
  id: 'outcomes',
  title: 'Outcomes',
  summary: 'Who finished, with what outcome and score.',
  async columns(db, item) {
    const quiz = item.type === 'pathway' ? null : await db('sandbox_quizzes').where({ item_id: item.id }).first('pass_mark');
    return [...PERSON, status, text('outcome', 'Outcome', (r) => (r.outcome ? OUTCOME_LABELS[String(r.outcome)] ?? String(r.outcome) : null)),
      number('score', quiz ? `Score (%, pass mark ${Number(quiz.pass_mark)})` : 'Score (%)', 'score'), time('completedAt', 'Completed at', 'completed_at')];
  },
  query: (db, item, filters) => byPerson(learners(db, item, filters)),
};

const answers: ReportDefinition = {
  id: 'answers',
  title: 'Answers',
  summary: 'Every quiz answer of this item\'s learners, question by question.',
  async columns(_db, item) {
    return [...PERSON, ...(item.type === 'pathway' ? [text('topic', 'Topic', (r) => String(r.topic_title))] : []),
      text('question', 'Question', (r) => String(r.prompt)), text('answer', 'Answer', (r) => (r.answer === null ? null : String(r.answer))),
      text('correct', 'Correct', (r) => (r.correct ? 'Yes' : 'No')), time('answeredAt', 'Answered at', 'answered_at')];
  },
  query(db, item, filters) {
    const query = learners(db, item, filters)
      .join('sandbox_quiz_answers as a', 'a.user_id', 'u.id')
      .join('sandbox_quiz_questions as q', 'q.id', 'a.question_id')
      .join('sandbox_items as t', 't.id', 'q.item_id')
      .select('t.title as topic_title', 'q.prompt', db.raw('q.options ->> a.choice as answer'), 'a.correct', 'a.answered_at');
    if (item.type === 'pathway') {
      query.join('sandbox_pathway_topics as pt', function joinTopics() {
        this.on('pt.topic_id', '=', 'q.item_id').andOnVal('pt.pathway_id', '=', item.id);
      }).orderByRaw('lower(u.last_name), lower(u.first_name), u.id, pt.position, q.position');
    } else {
      query.where('q.item_id', item.id).orderByRaw('lower(u.last_name), lower(u.first_name), u.id, q.position');
    }
    return query;
  },
};

export const REPORTS: Record<HostReportId, ReportDefinition> = { logins, progress, outcomes, answers };
export const REPORT_IDS = Object.keys(REPORTS) as HostReportId[];
export const isReportId = (value: unknown): value is HostReportId => typeof value === 'string' && (REPORT_IDS as string[]).includes(value);
