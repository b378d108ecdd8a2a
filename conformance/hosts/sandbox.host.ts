/*
 * The sandbox LMS (sandbox/) as the kit drives it: its own tables migrated into the kit's database,
 * createSandbox() as `npm start` builds it, and the controls written against its own pages and rows.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Knex } from 'knex';
import { createSandbox } from '../../sandbox/app.js';
import { loadSandboxConfig } from '../../sandbox/config.js';
import { migrateSandbox } from '../../sandbox/db.js';
import { parseId, toHostUser, toKnowledgeItem, type ItemRow, type UserRow } from '../../sandbox/host/records.js';
import { submitForm } from '../kit/forms.js';
import { mirrorContributors, sandboxReporting } from './sandbox-reporting.js';
import type { HostFactory, RenderedPanel } from '../kit/types.js';

const SECRET = 'sandbox-conformance-secret-sandbox-conformance';

function config(publicBaseUrl: string) {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'sandbox-conformance-'));
  try {
    const result = loadSandboxConfig({ SELFREG_SECRET: SECRET, PUBLIC_BASE_URL: publicBaseUrl, SEAT_LIMIT: 'unlimited', ADMIN_PASSWORD: 'not used by the kit 2026' }, { dataDir });
    if (!result.ok) throw new Error(result.errors.join('\n'));
    return result.config;
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function userCount(knex: Knex): Promise<number> {
  const [row] = await knex('sandbox_users').count<{ n: string | number }[]>({ n: '*' });
  return Number(row?.n ?? 0);
}

export const createHost: HostFactory = async ({ knex, publicBaseUrl }) => {
  await migrateSandbox(knex);
  const cfg = config(publicBaseUrl);
  await knex('sandbox_portal').insert({ id: 1, name: 'Sandbox under test', primary_admin_email: 'owner@sandbox.example', time_zone: 'Europe/London', seat_limit: null });
  const sandbox = await createSandbox({ knex, config: cfg, quiet: true, sessionPruneIntervalMs: 0 });
  const contributors = mirrorContributors(sandbox.host.reports!);
  const reporting = sandboxReporting(knex, sandbox.learning, contributors.all, sandbox.logger.pino);
  let items = 0;
  return {
    name: 'sandbox',
    host: { ...sandbox.host, reports: contributors.port },
    profiles: ['seats', 'credentials', 'panels', 'reporting', 'frame', 'rules', 'quarantine'],
    app: sandbox.app,
    async makeUser({ type, email, role = null, status = 'active' }) {
      const [row] = await knex<UserRow>('sandbox_users')
        .insert({ email: email ?? `person-${Date.now()}-${Math.random().toString(36).slice(2)}@sandbox.example`, first_name: 'Kit', last_name: 'Person', type, role, status })
        .returning('*');
      return toHostUser(row as UserRow);
    },
    async makeItem({ type, origin, title }) {
      items += 1;
      const [row] = await knex<ItemRow>('sandbox_items').insert({ type, origin, title: title ?? `Kit ${type} ${items}`, body: '' }).returning('*');
      return toKnowledgeItem(row as ItemRow);
    },
    async setSeatsLeft(n) {
      await knex('sandbox_portal').where({ id: 1 }).update({ seat_limit: n === null ? null : (await userCount(knex)) + n });
    },
    async raise(event, payload, tx) {
      if (!tx) return sandbox.events.emit(event, payload);
      // Scheduled for after the commit; awaiting it here, inside the transaction, would wait forever.
      void sandbox.events.emitAfterCommit(tx, event, payload);
    },
    async signIn(visitor, user, password, signInUrl) {
      const answer = await submitForm(visitor, signInUrl, { email: user.email, password }, /action="\/login"/);
      return { status: answer.status, location: answer.location };
    },
    panelPage(slot, item) {
      if (slot === 'portal.settings') return '/admin/portal';
      if (!item || parseId(item.id) === null) throw new Error('An item.settings page needs one of the sandbox’s items');
      return `/admin/items/${item.type}/${item.id}/settings`;
    },
    /** Each `<section class="panel">` of sandbox/views/partials/panels.ejs, up to the next one. */
    panelsIn(html) {
      const panels: RenderedPanel[] = [];
      for (const part of html.split('<section class="panel" data-panel-id="').slice(1)) {
        const m = /^([^"]*)">\s*<h2>([\s\S]*?)<\/h2>\s*<div class="panel-body">([\s\S]*)$/.exec(part);
        if (m) panels.push({ id: decode(m[1]!), title: decode(m[2]!), html: m[3]!.replace(/^([\s\S]*)<\/div>\s*<\/section>[\s\S]*$/, '$1') });
      }
      return panels;
    },
    reporting,
    rules: {
      /** A lesson done, as the learner does on the item's page (the sandbox counts that as started). */
      startLearning: (userId, item) => reporting.recordLearning(userId, item, { kind: 'progressed', percent: 25 }),
      /** The Remove button of the item's Enrolments tab does the same. */
      async removeEnrolment(userId, item) {
        await sandbox.admin.removeEnrolment(userId, item);
      },
    },
    quarantine: {
      async openItem(item, openTo) {
        if (!(await sandbox.selfEnrolment.setOpenTo(item, openTo ?? []))) throw new Error(`The sandbox has no ${item.type} ${item.id}`);
      },
      /** The Enrol forms of /catalogue (sandbox/views/catalogue.ejs). */
      async offeredTo(visitor) {
        return [...(await visitor.get('/catalogue')).text.matchAll(/<form method="post" action="\/catalogue\/[a-z]+\/([^"/]+)\/enrol"/g)].map((m) => decode(m[1]!));
      },
      /** An Enrol form posted with the session's form token (the header's sign-out form carries it when the item is not listed). */
      async enrolSelf(visitor, item) {
        const page = (await visitor.get('/catalogue')).text;
        const token = /name="_form_token" value="([^"]*)"/.exec(page)?.[1];
        if (!token) throw new Error('No form token on the sandbox’s catalogue page');
        const answer = await visitor.post(`/catalogue/${item.type}/${encodeURIComponent(item.id)}/enrol`, { _form_token: decode(token) });
        return { status: answer.status, text: answer.text };
      },
    },
    frame: {
      /** The links of the header's <nav class="main-nav"> (sandbox/views/partials/header.ejs) on the dashboard. */
      async menuEntriesFor(visitor) {
        const nav = /<nav class="main-nav"[^>]*>([\s\S]*?)<\/nav>/.exec((await visitor.get('/')).text)?.[1] ?? '';
        return [...nav.matchAll(/<a href="([^"]*)"[^>]*>([\s\S]*?)<\/a>/g)].map((m) => ({ label: decode(m[2]!.trim()), href: decode(m[1]!) }));
      },
      framedIn: (html) => html.includes('<header class="site-header">') && html.includes('<nav class="main-nav"'),
    },
    dispose: () => sandbox.close(),
  };
};

const decode = (s: string): string => s.replace(/&#39;/g, "'").replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
