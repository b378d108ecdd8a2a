/*
 * The host contract: everything a host imports from the plugin besides its entry (src/plugin.ts).
 * It depends on nothing of the plugin, so a host can be written from it alone.
 */
export * from './version.js';
export * from './data.js';
export * from './ports.js';
export * from './events.js';
export * from './http.js';
export * from './reporting.js';
export * from './layout.js';
export * from './host.js';
