/*
 * The sandbox logs through pino: one JSON object a line with NODE_ENV=production, readable lines
 * (pino-pretty) otherwise. The plugin gets the contract's LoggerPort over a pino child bound to its
 * id; the port's `info(message, context)` becomes pino's `info(context, message)`.
 */
import { pino } from 'pino';
import type { DestinationStream, Level, Logger } from 'pino';
import { prettyFactory } from 'pino-pretty';
import type { LoggerPort } from '../../src/contract/index.js';

export interface LogEntry {
  level: Level;
  message: string;
  /** Every field of the record but pino's own (level, time, msg, pid, hostname), bindings included. */
  context?: Record<string, unknown>;
  at: Date;
}

export interface SandboxLogger {
  /** The root logger the sandbox's own code logs through. */
  readonly pino: Logger;
  /** The last 200 records written, parsed back; kept even when quiet (tests assert on them). */
  readonly entries: LogEntry[];
}

export interface LoggerOptions {
  /** Write nothing out; the records still reach `entries`. */
  quiet?: boolean;
  /** `json` for production, `pretty` for a person at a terminal (the default). */
  format?: 'json' | 'pretty';
  /** Where the lines go (default standard output). */
  destination?: { write(line: string): unknown };
}

const KEPT_ENTRIES = 200;
const PINO_FIELDS = new Set(['level', 'time', 'msg', 'pid', 'hostname']);

/** Keeps the newest records pino writes, parsed back into level, message and context. */
function recentEntries(entries: LogEntry[]): (line: string) => void {
  return (line) => {
    let record: Record<string, unknown>;
    try {
      record = JSON.parse(line) as Record<string, unknown>;
    } catch {
      return;
    }
    const context = Object.fromEntries(Object.entries(record).filter(([key]) => !PINO_FIELDS.has(key)));
    entries.push({
      level: (pino.levels.labels[Number(record.level)] ?? 'info') as Level,
      message: typeof record.msg === 'string' ? record.msg : '',
      at: new Date(typeof record.time === 'number' ? record.time : Date.now()),
      ...(Object.keys(context).length > 0 && { context }),
    });
    if (entries.length > KEPT_ENTRIES) entries.shift();
  };
}

/** Writes each JSON line as it is, or made readable: synchronously, so nothing is lost at exit. */
function output(format: 'json' | 'pretty', destination: { write(line: string): unknown }): (line: string) => void {
  if (format === 'json') return (line) => void destination.write(line);
  const readable = prettyFactory({
    singleLine: true,
    ignore: 'pid,hostname',
    translateTime: 'SYS:yyyy-mm-dd HH:MM:ss.l',
    colorize: destination === process.stdout && process.stdout.isTTY === true,
  });
  return (line) => void destination.write(readable(line));
}

export function createLogger(opts: LoggerOptions = {}): SandboxLogger {
  const entries: LogEntry[] = [];
  const keep = recentEntries(entries);
  const out = opts.quiet ? null : output(opts.format ?? 'pretty', opts.destination ?? process.stdout);
  const destination: DestinationStream = {
    write(line: string) {
      keep(line);
      out?.(line);
    },
  };
  const logger = pino({
    level: 'info',
    // The contract's context carries failures under `error`; pino's `err` serializer keeps their name, message, code and stack.
    serializers: { error: pino.stdSerializers.err, err: pino.stdSerializers.err },
  }, destination);
  return { pino: logger, entries };
}

/** The contract's LoggerPort over a pino logger. */
export function loggerPort(logger: Logger): LoggerPort {
  const at = (level: 'info' | 'warn' | 'error') => (message: string, context?: Record<string, unknown>): void => {
    if (context) logger[level](context, message);
    else logger[level](message);
  };
  return { info: at('info'), warn: at('warn'), error: at('error') };
}
