/*
 * The options the sandbox hands the plugin: every key of the manifest's configuration set from its
 * variable, the sandbox's own secret, mail sender, SMTP URL and outbox poll interval, and whatever a
 * caller (a test) gives explicitly. A refusal of a value that came from a variable names the variable.
 */
import type { PluginOptions } from '../src/contract/index.js';
import type { SandboxConfig } from './config.js';

export function pluginOptionsFrom(config: SandboxConfig, explicit: Partial<PluginOptions> = {}): PluginOptions {
  return {
    ...(config.pluginOptions as Partial<PluginOptions>),
    secret: config.secret,
    mailFrom: config.mailFrom,
    ...(config.smtpUrl !== undefined && { smtpUrl: config.smtpUrl }),
    ...(config.outboxPollMs !== undefined && { outboxPollMs: config.outboxPollMs }),
    ...explicit,
  };
}

/** The plugin refused option values the sandbox took from its environment; the message names each variable. */
export class PluginConfigurationError extends Error {
  constructor(message: string, options: { cause: unknown }) {
    super(message, options);
    this.name = 'PluginConfigurationError';
  }
}

/**
 * A plugin's load error that mentions `options.<key>` for an option set from a variable becomes a
 * PluginConfigurationError whose message adds the variable: `options.digestHour (SELFREG_DIGEST_HOUR)`.
 */
export function namingVariables(error: unknown, variables: Readonly<Record<string, string>>): unknown {
  if (!(error instanceof Error)) return error;
  let named = false;
  const message = error.message.replace(/\boptions\.([A-Za-z][A-Za-z0-9]*)\b(?! \()/g, (match, key: string) => {
    const variable = Object.hasOwn(variables, key) ? variables[key] : undefined;
    if (variable === undefined) return match;
    named = true;
    return `${match} (${variable})`;
  });
  const alreadyNamed = Object.entries(variables).some(([key, variable]) => error.message.includes(`options.${key} (${variable})`));
  return named || alreadyNamed ? new PluginConfigurationError(message, { cause: error }) : error;
}

/** The variables of the options that came from the environment (explicit options keep their names). */
export function variablesOf(config: SandboxConfig, explicit: Partial<PluginOptions> = {}): Record<string, string> {
  return Object.fromEntries(Object.entries(config.pluginVariables).filter(([key]) => !(key in explicit)));
}
