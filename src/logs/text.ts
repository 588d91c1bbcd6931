/**
 * How stored line bytes become the text users see: UTF-8 decoded with
 * replacement characters, a trailing `\r` removed (CRLF), and for a line that
 * still contains `\r` (a progress bar redrawn in place) only the part after
 * the last `\r`.
 */

const decoder = new TextDecoder("utf-8", { fatal: false, ignoreBOM: true });

/** Decodes bytes as UTF-8, replacing invalid sequences with U+FFFD. */
export function decodeUtf8(bytes: Uint8Array): string {
  return decoder.decode(bytes);
}

/** The text shown for a raw line (already decoded), applying the `\r` rules. */
export function visibleText(raw: string): string {
  let s = raw;
  if (s.endsWith("\r")) s = s.slice(0, -1);
  const cr = s.lastIndexOf("\r");
  return cr < 0 ? s : s.slice(cr + 1);
}

/** The text shown for a line's raw bytes. */
export function lineText(bytes: Uint8Array): string {
  return visibleText(decodeUtf8(bytes));
}
