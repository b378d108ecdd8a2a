/*
 * A local SMTP server for the outbox benchmark, in a process of its own (as a real server would be):
 * it accepts everything and counts Message-IDs. The parent asks for the counts over IPC.
 */
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

const ids = new Map<string, number>();
let total = 0;

const server = new SMTPServer({
  authOptional: true,
  disabledCommands: ['STARTTLS'],
  logger: false,
  onData(stream, _session, callback) {
    let head = '';
    stream.on('data', (chunk: Buffer) => {
      if (head.length < 4096) head += chunk.toString('utf8');
    });
    stream.on('end', () => {
      total += 1;
      const id = /^Message-ID:\s*(<[^>\r\n]+>)/im.exec(head)?.[1];
      if (id) ids.set(id, (ids.get(id) ?? 0) + 1);
      callback();
    });
  },
});

server.listen(0, '127.0.0.1', () => {
  process.send!({ type: 'ready', port: (server.server.address() as AddressInfo).port });
});

process.on('message', (message: { type: string }) => {
  if (message.type === 'stats') process.send!({ type: 'stats', total, ids: [...ids.entries()] });
  if (message.type === 'close') server.close(() => process.exit(0));
});
