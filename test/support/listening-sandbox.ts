/*
 * A sandbox answering on a loopback port, for the tests that drive it from outside (Chromium): it
 * listens first, so its public base URL names the real port, and only then starts the sandbox.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { PluginOptions } from '../../src/contract/index.js';
import { startTestSandbox, type TestSandbox } from '../sandbox/helpers.js';

export interface ListeningSandbox {
  readonly t: TestSandbox;
  /** e.g. http://127.0.0.1:41234, also the sandbox's PUBLIC_BASE_URL. */
  readonly base: string;
  /** Stops listening, then destroys the sandbox and its database. */
  close(): Promise<void>;
}

/**
 * `plugin`: the real plugin, loaded from its manifest with these options, or the sandbox's fake
 * plugin. `env` adds to the sandbox's test configuration.
 */
export async function startListeningSandbox(opts: { env?: NodeJS.ProcessEnv; plugin: Partial<PluginOptions> | 'fake' }): Promise<ListeningSandbox> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  let t: TestSandbox;
  try {
    t = await startTestSandbox({ plugin: opts.plugin === 'fake', env: { PUBLIC_BASE_URL: base, ...opts.env } });
    if (opts.plugin !== 'fake') await t.sandbox.loadPlugin({ options: opts.plugin });
  } catch (err) {
    await close();
    throw err;
  }
  server.on('request', t.sandbox.app);
  return {
    t,
    base,
    async close() {
      await close();
      await t.destroy();
    },
  };
}
