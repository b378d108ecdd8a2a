/* What the report tests share: an RFC 4180 reader, the rows of a report page, and a fake contributor that records its calls. */
import type { KnowledgeRef, ReportContribution, ReportContributor } from '../../../src/contract/index.js';

/** Reads RFC 4180 text (quoted fields, doubled quotes, CRLF) into rows of fields. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { field += '"'; i++; } else if (c === '"') quoted = false; else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { row.push(field); field = ''; }
    else if (c === '\r' && text[i + 1] === '\n') { row.push(field); rows.push(row); row = []; field = ''; i++; }
    else field += c;
  }
  if (field !== '' || row.length > 0) throw new Error(`CSV does not end with CRLF: ${JSON.stringify(text.slice(-80))}`);
  return rows;
}

const unescape = (s: string): string => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&#34;|&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&');

/** The cells of the report table's body rows on a screen page. */
export function screenRows(html: string): string[][] {
  const body = /<tbody>([\s\S]*?)<\/tbody>/.exec(html)?.[1] ?? '';
  return [...body.matchAll(/<tr>([\s\S]*?)<\/tr>/g)]
    .map((m) => [...m[1]!.matchAll(/<td[^>]*>([\s\S]*?)<\/td>/g)].map((c) => unescape(c[1]!.trim())))
    .filter((cells) => !(cells.length === 1 && cells[0] === 'Nothing to show.'));
}

export interface FakeContributor extends ReportContributor {
  readonly calls: { describe: KnowledgeRef[]; values: { item: KnowledgeRef; ids: string[] }[]; usersMatching: { item: KnowledgeRef; chosen: Record<string, string> }[] };
  /** Users kept when the token filter is `spring`. */
  kept: string[];
  /** Values by user id (others get null). */
  through: Map<string, string>;
  /** Throw from values() on this call (1-based); 0: never. */
  failOnValuesCall: number;
  /** Run inside each values() call (e.g. a query of the plugin's own, on the host's database). */
  onValues: (() => Promise<unknown>) | null;
}

export function fakeContributor(): FakeContributor {
  const fake: FakeContributor = {
    calls: { describe: [], values: [], usersMatching: [] },
    kept: [],
    through: new Map(),
    failOnValuesCall: 0,
    onValues: null,
    async describe(item): Promise<ReportContribution> {
      fake.calls.describe.push(item);
      return {
        columns: [{ id: 'registeredThrough', label: 'Registered through' }],
        filters: [{ id: 'selfregToken', label: 'Token', options: [{ value: '', label: 'Any' }, { value: 'spring', label: 'Spring fair' }] }],
      };
    },
    async values(item, ids) {
      fake.calls.values.push({ item, ids: [...ids] });
      if (fake.failOnValuesCall > 0 && fake.calls.values.length === fake.failOnValuesCall) throw new Error('the plugin lost its database');
      if (fake.onValues) await fake.onValues();
      return new Map(ids.map((id) => [id, { registeredThrough: fake.through.get(id) ?? null }]));
    },
    async usersMatching(item, chosen) {
      fake.calls.usersMatching.push({ item, chosen: { ...chosen } });
      return chosen.selfregToken === 'spring' ? fake.kept : null;
    },
  };
  return fake;
}
