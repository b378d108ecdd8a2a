/*
 * Campus's panel shelf: the plugin's panels by slot, rendered into Campus's own markup (a card with
 * a header) in the order they were registered; a panel that fails shows a short notice and the page
 * still renders.
 */
import type { PanelContext, PanelDefinition, PanelSlot, PanelsPort, LoggerPort } from '../../src/contract/index.js';

export const esc = (s: string): string => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

export class PanelShelf implements PanelsPort {
  private readonly slots = new Map<PanelSlot, PanelDefinition[]>([['item.settings', []], ['portal.settings', []]]);

  constructor(private readonly logger: LoggerPort) {}

  register(panel: PanelDefinition): () => void {
    const list = this.slots.get(panel.slot);
    if (!list) throw new TypeError(`Campus has no panel slot "${panel.slot}"`);
    const at = list.findIndex((p) => p.id === panel.id);
    if (at >= 0) list.splice(at, 1, panel);
    else list.push(panel);
    return () => {
      const index = list.indexOf(panel);
      if (index >= 0) list.splice(index, 1);
    };
  }

  async render(slot: PanelSlot, ctx: PanelContext): Promise<string> {
    const cards: string[] = [];
    for (const panel of [...this.slots.get(slot)!]) {
      let body: string | null;
      try {
        body = await panel.render(ctx);
      } catch (error) {
        this.logger.error(`Panel ${panel.id} failed`, { error: error instanceof Error ? error.message : String(error) });
        body = '<p class="campus-notice">This panel is unavailable.</p>';
      }
      if (body === null) continue;
      cards.push(`<div class="campus-card" id="panel-${esc(panel.id)}"><header class="campus-card-title">${esc(panel.title)}</header><div class="campus-card-body">${body}</div></div><!-- /campus-card -->`);
    }
    return cards.join('\n') || '<p>No settings from plugins.</p>';
  }
}
