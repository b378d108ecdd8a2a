import { isKnowledgeType, type KnowledgeItem, type KnowledgeRef, type KnowledgeType } from '../../domain/shared/knowledge.js';
import { normaliseCode } from '../../domain/tokens/token-code.js';
import { itemNamed, rowCode, rowValues, type ImportHeader, type RowFacts } from '../../domain/tokens/token-import.js';
import type { Token } from '../../domain/tokens/token.js';
import type { CataloguePort } from '../../domain/ports/catalogue.port.js';
import type { TokenBulkRepository } from '../../domain/ports/token-bulk-repository.port.js';

const ID_RE = /^\d{1,18}$/;
const key = (ref: KnowledgeRef): string => `${ref.type}:${ref.id}`;

/**
 * Looks up, a chunk of rows at a time, what each row's plan needs: the token its id, code or an
 * earlier import of the same file names, the item it names (by id or by a unique title), and whether
 * an earlier row already has its code or changes its token. Items are read once per import.
 */
export class ImportRowFacts {
  private readonly items = new Map<string, KnowledgeItem | null>();
  private readonly titles = new Map<KnowledgeType, Map<string, KnowledgeItem[]>>();
  private readonly codeLines = new Map<string, number>();
  private readonly tokenLines = new Map<string, number>();

  constructor(
    private readonly catalogue: CataloguePort,
    private readonly bulk: TokenBulkRepository,
    private readonly header: ImportHeader,
    /** Applied imports of the same file: their tokens are found again by line. */
    private readonly previousImports: readonly string[],
  ) {}

  async of(rows: readonly { line: number; cells: readonly string[] }[]): Promise<RowFacts[]> {
    const valued = rows.map((r) => ({ ...r, values: rowValues(this.header, r.cells) }));
    const ids = valued.flatMap((r) => (r.values.id && ID_RE.test(r.values.id) ? [r.values.id] : []));
    const codes = valued.flatMap((r) => (r.values.id ? [] : [rowCode(r.values)].filter((c): c is string => c !== null)));
    const unnamed = valued.filter((r) => !r.values.id && rowCode(r.values) === null).map((r) => r.line);
    const byId = new Map((await this.bulk.findByIds(ids)).map((t) => [t.id, t]));
    const byCode = new Map((await this.bulk.findByCodes(codes)).map((t) => [normaliseCode(t.code ?? ''), t]));
    const previous = new Map<number, Token>();
    if (this.previousImports.length > 0 && unnamed.length > 0) {
      for (const found of await this.bulk.findImported(this.previousImports, unnamed)) previous.set(found.line, found.token);
    }
    const out: RowFacts[] = [];
    for (const r of valued) {
      const v = r.values;
      let target: RowFacts['target'] = null;
      let token: Token | undefined;
      let by: 'id' | 'code' | 'previous' = 'id';
      if (v.id) token = byId.get(v.id);
      else if (rowCode(v) !== null) [token, by] = [byCode.get(rowCode(v)!), 'code'];
      else [token, by] = [previous.get(r.line), 'previous'];
      if (v.id && !token) target = 'missing';
      else if (token) target = { token, by, item: await this.item(token.item) };
      const code = rowCode(v);
      const facts: RowFacts = {
        line: r.line,
        cells: r.cells,
        values: v,
        target,
        item: await this.named(v),
        ...(code !== null && this.codeLines.has(code) && { duplicateCodeOf: this.codeLines.get(code)! }),
        ...(token && this.tokenLines.has(token.id) && { duplicateTokenOf: this.tokenLines.get(token.id)! }),
      };
      if (code !== null && !this.codeLines.has(code)) this.codeLines.set(code, r.line);
      if (token && !this.tokenLines.has(token.id)) this.tokenLines.set(token.id, r.line);
      out.push(facts);
    }
    return out;
  }

  private async item(ref: KnowledgeRef): Promise<KnowledgeItem | null> {
    const k = key(ref);
    if (!this.items.has(k)) this.items.set(k, await this.catalogue.get(ref));
    return this.items.get(k)!;
  }

  private async named(values: RowFacts['values']): Promise<RowFacts['item']> {
    const named = itemNamed(values);
    if (!named.ok || !named.value) return null;
    if ('ref' in named.value) return this.item(named.value.ref);
    const { type, title } = named.value;
    if (!isKnowledgeType(type)) return null;
    let byTitle = this.titles.get(type);
    if (!byTitle) {
      byTitle = new Map();
      for (const item of await this.catalogue.list({ type })) {
        const k = item.title.trim().toLocaleLowerCase();
        byTitle.set(k, [...(byTitle.get(k) ?? []), item]);
      }
      this.titles.set(type, byTitle);
    }
    const found = byTitle.get(title.trim().toLocaleLowerCase()) ?? [];
    return found.length === 1 ? found[0]! : found.length > 1 ? 'ambiguous' : null;
  }
}
