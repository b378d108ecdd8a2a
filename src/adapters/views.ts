/*
 * Kept for the files that import the renderer and the plugin root from here: the one template
 * renderer lives in views/template-renderer.ts.
 */
export { PLUGIN_ROOT, TemplateRenderer, TemplateRenderer as Views } from './views/template-renderer.js';
