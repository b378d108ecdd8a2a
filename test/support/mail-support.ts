/*
 * A real SMTP server on loopback for the mail tests, restartable on the same port (to test a server
 * that goes away and comes back), able to refuse every message with a 451 or reject chosen recipients
 * with a 550. Messages are kept raw; parse them with mailparser when the content matters.
 */
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { simpleParser, type ParsedMail } from 'mailparser';

export interface ReceivedMail {
  readonly to: string[];
  readonly raw: string;
  readonly messageId: string;
}

export class TestSmtp {
  readonly received: ReceivedMail[] = [];
  /** While true every message is answered 451 (try again later) at the end of DATA. */
  refuse = false;
  /** Recipients answered 550 (permanent) at RCPT TO. */
  readonly rejected = new Set<string>();
  private server: SMTPServer | null = null;
  private port = 0;

  async start(port = this.port): Promise<number> {
    const server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      size: 10 * 1024 * 1024,
      onRcptTo: (address, _session, callback) => {
        if (this.rejected.has(address.address.toLowerCase())) return callback(Object.assign(new Error('5.1.1 No such user here'), { responseCode: 550 }));
        callback();
      },
      onData: (stream, session, callback) => {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          if (this.refuse) return callback(Object.assign(new Error('4.3.2 Try again later'), { responseCode: 451 }));
          const raw = Buffer.concat(chunks).toString('utf8');
          const messageId = /^Message-ID:\s*(<[^>\r\n]+>)/im.exec(raw)?.[1] ?? '';
          this.received.push({ to: session.envelope.rcptTo.map((r) => r.address), raw, messageId });
          callback();
        });
      },
    });
    await new Promise<void>((resolve, reject) => {
      server.server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
    this.server = server;
    this.port = (server.server.address() as AddressInfo).port;
    return this.port;
  }

  get url(): string {
    return `smtp://127.0.0.1:${this.port}`;
  }

  /** Closes the listener and drops every open connection (as a crashed server would). */
  async stop(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (!server) return;
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      // smtp-server waits for clients to quit; a crash does not.
      for (const conn of (server as unknown as { connections: Set<{ _socket?: { destroy(): void } }> }).connections ?? []) conn._socket?.destroy();
    });
  }

  /** Message-ID → how many times it arrived. */
  counts(): Map<string, number> {
    const out = new Map<string, number>();
    for (const m of this.received) out.set(m.messageId, (out.get(m.messageId) ?? 0) + 1);
    return out;
  }

  async parsed(i: number): Promise<ParsedMail> {
    return simpleParser(this.received[i]!.raw);
  }

  async waitFor(count: number, timeoutMs = 20_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.received.length < count) {
      if (Date.now() > deadline) throw new Error(`Expected ${count} messages, got ${this.received.length}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
}

/** Polls `check` until it holds (rejects after `timeoutMs`). For waiting, never for timing assertions. */
export async function until(check: () => Promise<boolean> | boolean, timeoutMs = 20_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
