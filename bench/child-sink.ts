/*
 * What the outbox benchmarks share: a database of their own for the run, and a local receiver
 * (an SMTP server, a webhook receiver) in a child process that counts what arrived by message id.
 */
import { randomBytes } from 'node:crypto';
import { fork } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

export interface ChildSink {
  readonly port: number;
  /** How many messages arrived, and how often each id did. */
  stats(): Promise<{ total: number; ids: Map<string, number> }>;
  close(): Promise<void>;
}

/** Starts `file` (next to this one) as a child process that reports its port, then answers `stats` and `close`. */
export async function childSink(file: string): Promise<ChildSink> {
  const child = fork(path.join(path.dirname(fileURLToPath(import.meta.url)), file), [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const port = await new Promise<number>((resolve, reject) => {
    child.once('error', reject);
    child.once('message', (m: { port: number }) => resolve(m.port));
  });
  return {
    port,
    stats: () => new Promise((resolve) => {
      child.once('message', (m: { total: number; ids: [string, number][] }) => resolve({ total: m.total, ids: new Map(m.ids) }));
      child.send({ type: 'stats' });
    }),
    close: () => new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.send({ type: 'close' });
    }),
  };
}

/** Runs `work` on a fresh database `<prefix>_<random>` beside `adminUrl`'s, dropped afterwards. */
export async function withDatabase<T>(adminUrl: string, prefix: string, work: (url: string) => Promise<T>): Promise<T> {
  const name = `${prefix}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database "${name}"`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  try {
    return await work(url.toString());
  } finally {
    const dropper = new pg.Client({ connectionString: adminUrl });
    await dropper.connect();
    await dropper.query(`drop database if exists "${name}" with (force)`);
    await dropper.end();
  }
}
