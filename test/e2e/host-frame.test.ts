/*
 * Contract 1.1's admin frame: on the sandbox the plugin's pages sit inside the host's own layout
 * (its navigation, user menu and sign-out) and the Tokens page is in the host's admin menu for the
 * admins who may manage tokens; on a 1.0 host the same pages stand alone and the host is told at
 * load that both features are off.
 */
import { expect } from 'chai';
import supertest from 'supertest';
import { startTestSandbox, type TestSandbox } from '../sandbox/helpers.js';
import { signIn } from '../support/sign-in.js';
import { register, type SelfRegistrationPlugin } from '../../src/plugin.js';
import type { HostV1 } from '../../src/contract/index.js';

const TOKENS = '/admin/self-registration/tokens';

describe('e2e: plugin pages in the host\'s frame (contract 1.1)', function () {
  this.timeout(60_000);

  describe('on the sandbox (a 1.1 host with a layout and an admin menu)', () => {
    let t: TestSandbox;
    before(async () => {
      t = await startTestSandbox({ plugin: false, env: { PUBLIC_BASE_URL: 'http://learn.acme.test' } });
      await t.sandbox.loadPlugin({ options: { outboxPollMs: 60_000 } });
    });
    after(() => t?.destroy());

    it('the Tokens page is one document inside the host\'s header, with its navigation and sign-out', async () => {
      const admin = await signIn(t, 'Super admin');
      const html = (await admin.agent.get(TOKENS).expect(200)).text;
      expect(html.match(/<html/g)).to.have.length(1);
      expect(html).to.contain('class="site-header"').and.to.contain('Sign out').and.to.contain('href="/admin/items"');
      expect(html).to.contain('id="self-registration"').and.to.contain('/self-registration/assets/panel.css');
      expect(html).not.to.contain('selfreg-admin-header');
      expect(html).to.match(/<a href="\/admin\/self-registration\/tokens" aria-current="page">Tokens<\/a>/);
    });

    it('the admin menu lists Tokens for Super and Standard admins, never for a learner', async () => {
      for (const who of ['Super admin', 'Standard admin']) {
        const page = (await (await signIn(t, who)).agent.get('/admin/items').expect(200)).text;
        expect(page, who).to.contain(`<a href="${TOKENS}">Tokens</a>`);
      }
      const learner = (await (await signIn(t, 'Staff learner')).agent.get('/').expect(200)).text;
      expect(learner).not.to.contain(TOKENS);
    });

    it('stopping the plugin takes its menu entries off', async () => {
      const plugin = t.sandbox.plugin!.instance as SelfRegistrationPlugin;
      const declared = plugin.manifest.menu.length;
      expect(declared).to.be.greaterThan(0);
      expect(t.sandbox.adminMenu.size).to.equal(declared);
      await plugin.stop();
      expect(t.sandbox.adminMenu.size).to.equal(0);
      await plugin.start();
      expect(t.sandbox.adminMenu.size).to.equal(declared);
    });
  });

  describe('on a 1.0 host (no layout, no admin menu)', () => {
    let t: TestSandbox;
    let plugin: SelfRegistrationPlugin;
    const warnings: string[] = [];
    before(async () => {
      t = await startTestSandbox({ plugin: false, env: { PUBLIC_BASE_URL: 'http://learn.acme.test' } });
      const { layout: _layout, adminMenu: _menu, ...rest } = t.sandbox.host;
      const logger = { ...rest.logger, warn: (m: string, c?: Record<string, unknown>) => (warnings.push(m), rest.logger.warn(m, c)) };
      const host10: HostV1 = { ...rest, apiVersion: '1.0.0', logger };
      plugin = register(host10, { secret: 'a-test-secret-of-at-least-32-characters!', outboxPollMs: 60_000 });
      await plugin.start();
    });
    after(async () => {
      await plugin?.stop();
      await t?.destroy();
    });

    it('loads, and is told at load which features stay off and why', () => {
      expect(warnings.filter((w) => /admin\.(host-layout|menu)/.test(w))).to.deep.equal([
        'The plugin\'s admin pages framed in the host\'s own layout (admin.host-layout) is off: it needs host API 1.1.0; the host implements 1.0.0; the host does not offer "layout".',
        'The plugin\'s admin pages listed in the host\'s admin menu (admin.menu) is off: it needs host API 1.1.0; the host implements 1.0.0; the host does not offer "adminMenu".',
      ]);
      expect(plugin.features.filter((f) => !f.enabled).map((f) => f.id)).to.include.members(['admin.host-layout', 'admin.menu']);
    });

    it('its admin pages stand alone with their own header, as before', async () => {
      const agent = supertest.agent(t.sandbox.app);
      const account = t.accounts['Super admin']!;
      await agent.post('/login').type('form').send({ email: account.email, password: account.password }).expect(303);
      const html = (await agent.get(TOKENS).expect(200)).text;
      expect(html).to.contain('selfreg-admin-header').and.not.to.contain('class="site-header"');
      expect(t.sandbox.adminMenu.size).to.equal(0);
      expect((await supertest(t.sandbox.app).get('/')).status).to.be.lessThan(500);
    });
  });
});
