/* Reading and sending a page's form as a browser would: its action, its hidden fields, plus what a person types. */
import type { Answer, Visitor } from './visitor.js';

export interface PageForm {
  readonly action: string;
  readonly hidden: Record<string, string>;
}

const unescape = (s: string): string => s.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

/** The first POST form of a page (or the first whose opening tag matches `match`). */
export function formIn(html: string, match?: RegExp): PageForm | null {
  const forms = html.match(/<form\b[^>]*>[\s\S]*?<\/form>/gi) ?? [];
  const form = forms.find((f) => /method="post"/i.test(f) && (!match || match.test(f.slice(0, f.indexOf('>') + 1))));
  if (!form) return null;
  const action = unescape(/action="([^"]*)"/i.exec(form)?.[1] ?? '');
  const hidden: Record<string, string> = {};
  for (const input of form.match(/<input\b[^>]*type="hidden"[^>]*>/gi) ?? []) {
    const name = /name="([^"]*)"/i.exec(input)?.[1];
    if (name) hidden[unescape(name)] = unescape(/value="([^"]*)"/i.exec(input)?.[1] ?? '');
  }
  return { action, hidden };
}

/** Opens `url`, fills its first POST form with `fields` and sends it; the answer of the POST. */
export async function submitForm(visitor: Visitor, url: string, fields: Record<string, string>, match?: RegExp): Promise<Answer> {
  const page = await visitor.get(url);
  const form = formIn(page.text, match);
  if (!form) throw new Error(`No form on ${url} (status ${page.status})`);
  return visitor.post(form.action || url, { ...form.hidden, ...fields });
}
