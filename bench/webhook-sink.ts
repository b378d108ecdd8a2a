/*
 * A local webhook receiver for the webhook benchmark, in a process of its own (as a real receiver
 * would be): it answers 204 to every POST and counts webhook-ids. The parent asks for counts over IPC.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

const ids = new Map<string, number>();
let total = 0;

const server = http.createServer({ keepAliveTimeout: 60_000 }, (req, res) => {
  req.on('data', () => undefined);
  req.on('end', () => {
    total += 1;
    const id = req.headers['webhook-id'];
    if (typeof id === 'string') ids.set(id, (ids.get(id) ?? 0) + 1);
    res.writeHead(204).end();
  });
});

server.listen(0, '127.0.0.1', () => {
  process.send!({ type: 'ready', port: (server.address() as AddressInfo).port });
});

process.on('message', (m: { type: string }) => {
  if (m.type === 'stats') process.send!({ total, ids: [...ids] });
  if (m.type === 'close') {
    server.closeAllConnections();
    server.close(() => process.exit(0));
  }
});
