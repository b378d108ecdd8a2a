/*
 * Loads a plugin as a production host would: read and validate plugin/manifest.json, check the
 * host API range and the required ports, import the entry module, `register(host, options)`,
 * then `start()`. Migrations are the plugin's own business (it runs them in `start()`).
 */
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { z } from 'zod';
import type { HostV1, LoggerPort, PluginOptions } from '../src/contract/index.js';
import { HOST_EVENTS, HOST_FILTERS } from '../src/contract/index.js';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const DEFAULT_MANIFEST = path.join(REPO_ROOT, 'plugin', 'manifest.json');

const manifestSchema = z.object({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/),
  name: z.string().min(1),
  version: z.string().regex(/^\d+\.\d+\.\d+(?:[-+].*)?$/),
  hostApi: z.string().min(1),
  entry: z.string().min(1),
  requiredPorts: z.array(z.string()),
  optionalPorts: z.array(z.string()).optional(),
  hooks: z.array(z.object({ hook: z.string(), method: z.string(), priority: z.number().optional() })).optional(),
  routes: z.array(z.object({ kind: z.enum(['public', 'admin', 'api']), mount: z.string().startsWith('/') })).optional(),
  panels: z.array(z.object({ slot: z.enum(['item.settings', 'portal.settings']), id: z.string(), title: z.string() })).optional(),
  /** The plugin's options: the host passes option `key` from environment variable `env`. */
  configuration: z.array(z.object({
    key: z.string().regex(/^[A-Za-z][A-Za-z0-9]*$/),
    env: z.string().regex(/^[A-Z][A-Z0-9_]*$/),
    required: z.boolean().default(false),
    default: z.union([z.string(), z.number(), z.boolean(), z.null()]).optional(),
    description: z.string().optional(),
  }).loose()).optional(),
}).loose();

export type PluginManifest = z.infer<typeof manifestSchema>;

export interface PluginInstance {
  start(): Promise<void>;
  stop(): Promise<void>;
}

export interface PluginModule {
  register(host: HostV1, options: PluginOptions): PluginInstance;
}

export interface LoadedPlugin {
  manifest: PluginManifest;
  instance: PluginInstance;
}

export interface LoadPluginOptions {
  /** Absolute path of the manifest (default plugin/manifest.json). */
  manifestPath?: string;
  /** Replaces the manifest's entry (relative to the repo root): tests load a fake plugin. */
  entry?: string;
}

/** What the host hands a plugin of its own beside the host object. */
export interface PluginBinding {
  /** The logger port the plugin gets, bound to its manifest id; without it the plugin logs through `host.logger`. */
  loggerFor?(pluginId: string): LoggerPort;
}

/** Semver `x.y.z`, `^x.y.z` or `~x.y.z` against a concrete version. */
export function satisfiesRange(version: string, range: string): boolean {
  const parse = (v: string): number[] | null => {
    const m = /^(\d+)\.(\d+)\.(\d+)$/.exec(v.trim());
    return m ? [Number(m[1]), Number(m[2]), Number(m[3])] : null;
  };
  const have = parse(version);
  const op = range.trim()[0] === '^' || range.trim()[0] === '~' ? range.trim()[0] : '';
  const want = parse(op ? range.trim().slice(1) : range);
  if (!have || !want) return false;
  const cmp = (a: number[], b: number[]): number => (a[0]! - b[0]!) || (a[1]! - b[1]!) || (a[2]! - b[2]!);
  if (op === '') return cmp(have, want) === 0;
  if (cmp(have, want) < 0) return false;
  if (op === '~') return have[0] === want[0] && have[1] === want[1];
  if (want[0]! > 0) return have[0] === want[0];
  if (want[1]! > 0) return have[0] === 0 && have[1] === want[1];
  return have[0] === 0 && have[1] === 0 && have[2] === want[2];
}

export async function readManifest(manifestPath = DEFAULT_MANIFEST): Promise<PluginManifest> {
  let text: string;
  try {
    text = await readFile(manifestPath, 'utf8');
  } catch (error) {
    throw new Error(`Cannot read the plugin manifest ${manifestPath}: ${(error as Error).message}`);
  }
  return parseManifest(text, manifestPath);
}

/** The same, synchronously: the sandbox's configuration reads the plugin's configuration keys at start. */
export function readManifestSync(manifestPath = DEFAULT_MANIFEST): PluginManifest {
  let text: string;
  try {
    text = readFileSync(manifestPath, 'utf8');
  } catch (error) {
    throw new Error(`Cannot read the plugin manifest ${manifestPath}: ${(error as Error).message}`);
  }
  return parseManifest(text, manifestPath);
}

function parseManifest(text: string, manifestPath: string): PluginManifest {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new Error(`Cannot read the plugin manifest ${manifestPath}: ${(error as Error).message}`);
  }
  const parsed = manifestSchema.safeParse(json);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    throw new Error(`Invalid plugin manifest ${manifestPath}: ${issues}`);
  }
  return parsed.data;
}

/** Everything that makes this host unable to run the plugin, as readable sentences. */
export function checkCompatibility(manifest: PluginManifest, host: HostV1): string[] {
  const problems: string[] = [];
  if (!satisfiesRange(host.apiVersion, manifest.hostApi)) {
    problems.push(`the plugin needs host API ${manifest.hostApi}, this host implements ${host.apiVersion}`);
  }
  const missing = manifest.requiredPorts.filter((port) => (host as unknown as Record<string, unknown>)[port] == null);
  if (missing.length > 0) problems.push(`the host lacks required ports: ${missing.join(', ')}`);
  for (const { hook } of manifest.hooks ?? []) {
    const [type, event] = hook.split(':');
    const known = type === 'filter' ? (HOST_FILTERS as readonly string[]).includes(event ?? '') : type === 'action' && (HOST_EVENTS as readonly string[]).includes(event ?? '');
    if (!known) problems.push(`the host does not raise hook ${hook}`);
  }
  return problems;
}

export async function loadPlugin(host: HostV1, options: PluginOptions, opts: LoadPluginOptions = {}, binding: PluginBinding = {}): Promise<LoadedPlugin> {
  const manifest = await readManifest(opts.manifestPath);
  const problems = checkCompatibility(manifest, host);
  if (problems.length > 0) throw new Error(`Plugin ${manifest.id} ${manifest.version} cannot run on this host: ${problems.join('; ')}.`);

  const entry = path.resolve(REPO_ROOT, opts.entry ?? manifest.entry);
  const mod = (await import(pathToFileURL(entry).href)) as Partial<PluginModule>;
  if (typeof mod.register !== 'function') throw new Error(`Plugin entry ${entry} does not export register(host, options)`);
  const instance = mod.register(binding.loggerFor ? { ...host, logger: binding.loggerFor(manifest.id) } : host, options);
  if (!instance || typeof instance.start !== 'function' || typeof instance.stop !== 'function') {
    throw new Error(`register() of ${manifest.id} must return { start(), stop() }`);
  }
  await instance.start();
  host.logger.info('Plugin started', { id: manifest.id, version: manifest.version });
  return { manifest, instance };
}
