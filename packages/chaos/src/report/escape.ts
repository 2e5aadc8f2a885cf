/** Text made safe for HTML and SVG element content and quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => ESCAPES[character]!);
}

const ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

/** At most `charactersMax` characters, with an ellipsis when cut. */
export function truncated(text: string, charactersMax: number): string {
  if (text.length <= charactersMax) return text;
  return charactersMax <= 1 ? "…".slice(0, charactersMax) : `${text.slice(0, charactersMax - 1)}…`;
}
