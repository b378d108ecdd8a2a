/*
 * Profiles themselves: a host declares exactly the profiles whose parts it offers, and for every
 * profile it does not declare the kit proves what the host is told: a required part missing makes
 * register() refuse, naming it; an optional part missing turns its features off, each warned at load,
 * while the plugin still runs.
 */
import { PluginLoadError } from '../../src/plugin.js';
import type { KitContext } from '../kit/context.js';
import { check, checkEqual, type ConformanceTest } from '../kit/define.js';
import { featuresOf, hostOffers, PROFILES, versionAtLeast, type Profile } from '../kit/profiles.js';

const declares = (ctx: KitContext, p: Profile): boolean => p.id === 'core' || ctx.hut.profiles.includes(p.id);

async function declaration(ctx: KitContext, p: Profile): Promise<void> {
  const missing = p.parts.filter((part) => !hostOffers(ctx.host, part));
  const versionOk = versionAtLeast(ctx.host.apiVersion, p.hostApi);
  if (declares(ctx, p)) {
    checkEqual(missing, [], `the host declares ${p.id} but lacks`);
    check(versionOk, `the host declares ${p.id}, which needs contract ${p.hostApi}, but implements ${ctx.host.apiVersion}`);
  } else {
    check(missing.length > 0 || !versionOk, `the host offers ${p.parts.join(', ')} but does not declare the ${p.id} profile: declare it so the kit proves it`);
  }
}

/** A feature of the kit's own, needing the profile's parts: proves the host is told even when the shipped manifest names none. */
const probeFeature = (p: Profile) => ({ id: `conformance.${p.id}`, description: `Conformance probe of ${p.id}`, needs: { hostApi: p.hostApi, ports: [...p.parts] } });

async function absent(ctx: KitContext, p: Profile): Promise<void> {
  const lacking = p.parts.filter((part) => !hostOffers(ctx.host, part));
  if (p.kind === 'required') {
    let refused: unknown = null;
    try {
      ctx.registerPlugin();
    } catch (error) {
      refused = error;
    }
    check(refused instanceof PluginLoadError, `without ${lacking.join(', ')} register() refuses with PluginLoadError`);
    for (const part of lacking) check(refused.problems.some((line) => line.includes(part)), `the refusal names "${part}"`);
    return;
  }
  const { plugin, lines } = ctx.registerPlugin();
  const warned = lines.filter((l) => l.level === 'warn').map((l) => l.message);
  const mine = featuresOf(p, plugin.manifest.features);
  for (const feature of mine) {
    const status = plugin.features.find((f) => f.id === feature.id);
    check(status && !status.enabled, `feature ${feature.id} is off on a host without ${p.id}`);
    check(status.reasons.some((r) => lacking.some((part) => r.includes(part)) || r.includes(p.hostApi)), `the reasons of ${feature.id} name what is missing: ${status.reasons.join('; ')}`);
    check(warned.some((w) => w.includes(`(${feature.id}) is off`)), `the host was warned at load that ${feature.id} is off`);
  }
  const probe = ctx.registerPlugin(ctx.host, {}, { ...plugin.manifest, features: [...plugin.manifest.features, probeFeature(p)] });
  const status = probe.plugin.features.find((f) => f.id === probeFeature(p).id);
  check(status && !status.enabled, 'a feature needing this profile’s parts is off');
  check(probe.lines.some((l) => l.level === 'warn' && l.message.includes(`(${probeFeature(p).id}) is off`)), 'and the host is warned of it at load');
  await plugin.start();
  const page = await ctx.visitor().get('/register');
  checkEqual(page.status, 200, 'the plugin runs without the part: its registration page');
  await plugin.stop();
}

export const profileTests: ConformanceTest[] = PROFILES.flatMap((p): ConformanceTest[] => [
  {
    id: `profiles.${p.id}.declaration`, profile: p.id, when: 'always',
    title: `the host declares ${p.id} exactly when it offers ${p.parts.join(', ')} (contract ${p.hostApi})`,
    run: (ctx) => declaration(ctx, p),
  },
  ...(p.id === 'core' ? [] : [{
    id: `profiles.${p.id}.absent`, profile: p.id, when: 'absent' as const,
    title: p.kind === 'required'
      ? `without ${p.parts.join(', ')} the plugin refuses to load, naming what is missing`
      : `without ${p.parts.join(', ')} the plugin still runs and the host is told, at load, each feature that stays off`,
    run: (ctx: KitContext) => absent(ctx, p),
  }]),
]);
