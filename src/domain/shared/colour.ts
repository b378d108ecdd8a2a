/* Colour arithmetic (WCAG 2.x relative luminance and contrast ratio), for `#rrggbb` colours. */

function channel(hex: string, index: number): number {
  const c = parseInt(hex.slice(1 + index * 2, 3 + index * 2), 16) / 255;
  // 0.04045 (sRGB) and WCAG's older 0.03928 agree on every 8-bit channel value.
  return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
}

/** WCAG relative luminance of `#rrggbb`, from 0 (black) to 1 (white). */
export function relativeLuminance(hex: string): number {
  return 0.2126 * channel(hex, 0) + 0.7152 * channel(hex, 1) + 0.0722 * channel(hex, 2);
}

/** Contrast ratio of two `#rrggbb` colours, from 1 to 21. */
export function contrastRatio(a: string, b: string): number {
  const [hi, lo] = [relativeLuminance(a), relativeLuminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

/** Whichever of `light` and `dark` contrasts more with `background` (light on a tie). */
export const betterTextColour = <L extends string, D extends string>(background: string, light: L, dark: D): L | D =>
  contrastRatio(background, light) >= contrastRatio(background, dark) ? light : dark;
