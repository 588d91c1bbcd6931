/**
 * "Did you mean X?" suggestions (pure): the closest known word to a
 * misspelt one, by edit distance on a normalized form (case, `_` and `-`
 * ignored), or null when nothing is close enough.
 */

/** Edit distance (insertions, deletions, substitutions and swaps of neighbours count 1). */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
      }
    }
  }
  return d[a.length][b.length];
}

function norm(s: string): string {
  return s.toLowerCase().replace(/[-_ ]/g, "");
}

/**
 * Returns the candidate closest to `word`, or null when none is close: the
 * target of an alias (other tools' names, such as `command` for `cmd`), equal
 * once normalized, a prefix of at least 3 characters either way, or within
 * an edit distance of a third of the word's length (at least 1, 2 for words
 * of 5 or more characters).
 */
export function suggest(
  word: string,
  candidates: readonly string[],
  aliases: Readonly<Record<string, string>> = {},
): string | null {
  const w = norm(word);
  for (const [alias, target] of Object.entries(aliases)) if (norm(alias) === w) return target;
  let best: string | null = null;
  let bestScore = Infinity;
  for (const c of candidates) {
    const n = norm(c);
    let score = editDistance(w, n);
    if (w.length >= 3 && n.length >= 3 && (n.startsWith(w) || w.startsWith(n))) {
      score = Math.min(score, 1);
    }
    if (score < bestScore) {
      best = c;
      bestScore = score;
    }
  }
  const limit = Math.max(w.length >= 5 ? 2 : 1, Math.floor(w.length / 3));
  return bestScore <= limit ? best : null;
}

/** Formats a suggestion (see `suggest`) as ` (did you mean "X"?)`, or "" when there is none. */
export function didYouMean(
  word: string,
  candidates: readonly string[],
  aliases: Readonly<Record<string, string>> = {},
): string {
  const s = suggest(word, candidates, aliases);
  return s === null ? "" : ` (did you mean ${JSON.stringify(s)}?)`;
}
