/**
 * Redis's glob matcher (stringmatchlen): `*`, `?`, `[abc]`, `[^a]`, `[a-z]`
 * and `\x` escapes, case-sensitive unless `nocase`. Used by KEYS, SCAN MATCH,
 * PSUBSCRIBE, CONFIG GET and CLIENT KILL. Iterative with bounded
 * backtracking, so a hostile pattern cannot make it exponential.
 */
export function globMatch(pattern: string, text: string, nocase = false): boolean {
  return matchFrom(pattern, 0, text, 0, nocase, 0);
}

const NESTING_MAX = 1000;

function matchFrom(pattern: string, p: number, text: string, t: number, nocase: boolean, depth: number): boolean {
  if (depth > NESTING_MAX) return false;
  const plen = pattern.length;
  const tlen = text.length;
  while (p < plen && t <= tlen) {
    const c = pattern[p]!;
    if (c === "*") {
      while (p + 1 < plen && pattern[p + 1] === "*") p++;
      if (p + 1 === plen) return true;
      for (let start = t; start <= tlen; start++) {
        if (matchFrom(pattern, p + 1, text, start, nocase, depth + 1)) return true;
      }
      return false;
    }
    if (t >= tlen) return false;
    if (c === "?") {
      p++;
      t++;
      continue;
    }
    if (c === "[") {
      p++;
      const not = pattern[p] === "^";
      if (not) p++;
      let matched = false;
      for (;;) {
        if (p >= plen) {
          p--;
          break;
        }
        const pc = pattern[p]!;
        if (pc === "\\" && p + 2 < plen) {
          p++;
          if (equal(pattern[p]!, text[t]!, nocase)) matched = true;
        } else if (pc === "]") {
          break;
        } else if (p + 2 < plen && pattern[p + 1] === "-") {
          let start = pattern.charCodeAt(p);
          let end = pattern.charCodeAt(p + 2);
          let ch = text.charCodeAt(t);
          if (start > end) [start, end] = [end, start];
          if (nocase) {
            start = lower(start);
            end = lower(end);
            ch = lower(ch);
          }
          p += 2;
          if (ch >= start && ch <= end) matched = true;
        } else if (equal(pc, text[t]!, nocase)) {
          matched = true;
        }
        p++;
      }
      if (not) matched = !matched;
      if (!matched) return false;
      p++;
      t++;
      continue;
    }
    if (c === "\\" && p + 1 < plen) p++;
    if (!equal(pattern[p]!, text[t]!, nocase)) return false;
    p++;
    t++;
  }
  while (p < plen && pattern[p] === "*") p++;
  return p === plen && t === tlen;
}

function lower(code: number): number {
  return code >= 65 && code <= 90 ? code + 32 : code;
}

function equal(a: string, b: string, nocase: boolean): boolean {
  return nocase ? lower(a.charCodeAt(0)) === lower(b.charCodeAt(0)) : a === b;
}
