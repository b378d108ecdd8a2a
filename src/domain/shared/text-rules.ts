/*
 * Rules about text that several features apply: control characters. Written once; features import
 * these rather than their own regular expressions.
 */

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;
// eslint-disable-next-line no-control-regex
const CONTROL_EXCEPT_LINE_FEED = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029]/;

/**
 * Whether `value` holds a control character (C0, DEL, C1) or a Unicode line/paragraph separator:
 * what no single-line field may contain. With `allowLineFeeds`, `\n` is allowed (multi-line text).
 */
export function hasControlCharacters(value: string, options: { allowLineFeeds?: boolean } = {}): boolean {
  return (options.allowLineFeeds ? CONTROL_EXCEPT_LINE_FEED : CONTROL).test(value);
}
