/* The plugin instance a test sandbox loaded, with its container. */
import type { SelfRegistrationPlugin } from '../../src/plugin.js';
import type { TestSandbox } from '../sandbox/helpers.js';

export const pluginOf = (t: TestSandbox): SelfRegistrationPlugin => t.sandbox.plugin!.instance as SelfRegistrationPlugin;
