/*
 * The panels port: the plugin registers settings panels into the sandbox's two slots; the admin
 * pages render them. A failing panel shows a notice instead of breaking the page.
 */
import type { Logger } from 'pino';
import type { PanelContext, PanelDefinition, PanelSlot } from '../../src/contract/index.js';

export interface RenderedPanel {
  id: string;
  title: string;
  html: string;
}

export class PanelRegistry {
  private readonly bySlot = new Map<PanelSlot, Map<string, PanelDefinition>>();

  constructor(private readonly log: Logger) {}

  register(panel: PanelDefinition): () => void {
    if (panel.slot !== 'item.settings' && panel.slot !== 'portal.settings') throw new TypeError(`Unknown panel slot "${String(panel.slot)}"`);
    if (!panel.id || typeof panel.render !== 'function') throw new TypeError('A panel needs an id and a render function');
    const slot = this.bySlot.get(panel.slot) ?? new Map<string, PanelDefinition>();
    if (slot.has(panel.id)) this.log.warn({ slot: panel.slot, id: panel.id }, 'Panel registered again: replacing it');
    slot.delete(panel.id);
    slot.set(panel.id, panel);
    this.bySlot.set(panel.slot, slot);
    return () => {
      // A stale unregister (after the same id was registered again) leaves the newer panel alone.
      if (slot.get(panel.id) === panel) slot.delete(panel.id);
    };
  }

  list(slot: PanelSlot): PanelDefinition[] {
    return [...(this.bySlot.get(slot)?.values() ?? [])];
  }

  /** Renders every panel of a slot; a failing panel shows a notice instead of breaking the page. */
  async render(slot: PanelSlot, ctx: PanelContext): Promise<RenderedPanel[]> {
    const out: RenderedPanel[] = [];
    for (const panel of this.list(slot)) {
      try {
        const html = await panel.render(ctx);
        if (html !== null && html !== undefined) out.push({ id: panel.id, title: panel.title, html: String(html) });
      } catch (error) {
        this.log.error({ slot, id: panel.id, error }, 'Panel failed to render');
        out.push({ id: panel.id, title: panel.title, html: '<p class="notice notice-error">This panel could not be displayed. The error has been logged.</p>' });
      }
    }
    return out;
  }
}
