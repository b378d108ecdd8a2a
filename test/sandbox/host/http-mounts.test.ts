/* The http port's mounts, and the plugin's lifecycle on the sandbox (host/http.port.ts, plugin-loader.ts). */
import { expect } from 'chai';
import express from 'express';
import supertest from 'supertest';
import type { HostV1 } from '../../../src/contract/index.js';
import { observed } from '../fixtures/fake-plugin.js';
import { FAKE_PLUGIN } from '../helpers.js';
import type { TestSandbox } from '../helpers.js';
import { useHostPorts } from './host-ports.js';

describe('sandbox host ports', function () {
  const ports = useHostPorts();
  let t: TestSandbox;
  let host: HostV1;
  before(() => {
    ({ t, host } = ports);
  });

  describe('http mounts and plugin lifecycle', () => {
    it('routes to a mounted router and 404s once it is unmounted', async () => {
      const router = express.Router();
      router.get('/hello', (_req, res) => {
        res.send('hello');
      });
      const mounted = host.http.mount('/temp', router, 'public');
      await supertest(t.sandbox.app).get('/temp/hello').expect(200, 'hello');
      await supertest(t.sandbox.app).get('/tempx/hello').expect(404);
      mounted.unmount();
      mounted.unmount();
      await supertest(t.sandbox.app).get('/temp/hello').expect(404);
    });

    it('refuses bad paths and the host\'s own paths', () => {
      const router = express.Router();
      expect(() => host.http.mount('/login', router, 'public')).to.throw(/overlaps/);
      expect(() => host.http.mount('/admin', router, 'admin')).to.throw(/overlaps/);
      expect(() => host.http.mount('/a/:id', router, 'public')).to.throw(/Mount path/);
      expect(() => host.http.mount('/trailing/', router, 'public')).to.throw(/Mount path/);
    });

    it('falls through to the next handler when a mounted router does not answer', async () => {
      const router = express.Router();
      router.get('/only', (_req, res) => {
        res.send('only');
      });
      const mounted = host.http.mount('/fallthrough', router, 'api');
      try {
        await supertest(t.sandbox.app).get('/fallthrough/other').expect(404);
      } finally {
        mounted.unmount();
      }
    });

    it('passes the plugin its options and survives stop/start/stop without duplicates', async () => {
      expect(observed.options).to.deep.include({ secret: t.config.secret, mailFrom: 'no-reply@learn.example.com' });
      const plugin = t.sandbox.plugin!;
      expect(plugin.manifest.id).to.equal('self-registration');
      await supertest(t.sandbox.app).get('/fake').expect(200, 'fake plugin home');
      await plugin.instance.stop();
      await supertest(t.sandbox.app).get('/fake').expect(404);
      expect(t.sandbox.panels.list('item.settings')).to.have.length(0);
      expect(t.sandbox.events.listenerCount('item.deleted')).to.equal(0);
      await plugin.instance.start();
      await plugin.instance.stop();
      await plugin.instance.start();
      expect(t.sandbox.mounts.list().filter((m) => m.path === '/fake')).to.have.length(1);
      expect(t.sandbox.panels.list('item.settings')).to.have.length(1);
      expect(t.sandbox.events.listenerCount('item.deleted')).to.equal(1);
      await supertest(t.sandbox.app).get('/fake').expect(200);
    });

    it('refuses to load a plugin twice', async () => {
      let message = '';
      await t.sandbox.loadPlugin({ entry: FAKE_PLUGIN }).catch((e: Error) => {
        message = e.message;
      });
      expect(message).to.match(/already loaded/);
    });
  });
});
