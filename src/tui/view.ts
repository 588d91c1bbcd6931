/**
 * The view: a pure function from the UI state to the screen's lines, each
 * exactly `cols` cells wide (SGR sequences included, nothing else). Row 0 is
 * the header, then the body (process list | output), then the status bar.
 */

import type { UiState } from "./types.ts";
import type { ProcessInfo } from "../model.ts";
import { formatBytes, formatCpu } from "../present/format.ts";
import { fit, RESET } from "./ansi.ts";
import { type Geometry, geometry, listOffset, paneOf } from "./geometry.ts";
import { layout, type OutLayout } from "./layout.ts";
import { compileFilter } from "./filter.ts";
import { counts, type Seg, stateLabel, stateMark, suffixMarks } from "./marks.ts";
import { graphemes, textWidth } from "./width.ts";
import { outputOf } from "./actions.ts";
import { helpRows, HINTS } from "./help.ts";

/** Shortens plain text to `width` cells, ending with "…" when cut. */
export function ellipsize(text: string, width: number): string {
  if (width <= 0) return "";
  if (textWidth(text) <= width) return text;
  let out = "";
  let used = 0;
  for (const g of graphemes(text)) {
    const w = textWidth(g);
    if (used + w > width - 1) break;
    out += g;
    used += w;
  }
  return out + "…";
}

function sgrOf(base: string, sgr: string): string {
  return [base, sgr].filter((x) => x).join(";");
}

/** Draws plain-text segments into exactly `width` cells, each in its style on top of `base`. */
export function drawSegs(segs: Seg[], width: number, base = ""): string {
  let out = "";
  let used = 0;
  for (const seg of segs) {
    if (used >= width) break;
    const text = ellipsize(seg.text, width - used);
    const code = sgrOf(base, seg.sgr);
    out += code ? `\x1b[${code}m${text}${RESET}` : text;
    used += textWidth(text);
  }
  const pad = " ".repeat(Math.max(0, width - used));
  return out + (base && pad ? `\x1b[${base}m${pad}${RESET}` : pad);
}

function listRow(s: UiState, index: number, width: number): string {
  const p = s.processes[index];
  if (!p) return " ".repeat(width);
  const base = p.name === s.selected ? "7" : "";
  const suffix = suffixMarks(p);
  let suffixSegs: Seg[] = [];
  let suffixW = 0;
  for (const m of suffix) {
    suffixSegs = suffixSegs.concat([{ text: " ", sgr: "" }, m]);
    suffixW += 1 + textWidth(m.text);
  }
  let nameW = width - 3 - suffixW - 1;
  if (nameW < 4) {
    suffixSegs = [];
    nameW = width - 4;
  }
  const name = ellipsize(p.name, nameW);
  const gap = " ".repeat(Math.max(0, nameW - textWidth(name)));
  const segs: Seg[] = [
    { text: " ", sgr: "" },
    stateMark(p),
    { text: " ", sgr: "" },
    { text: name + gap, sgr: base ? "1" : "" },
    ...suffixSegs,
  ];
  return drawSegs(segs, width, base);
}

/** `CPU 12.5% MEM 45.1M` of a process whose resources were sampled, else "". */
export function usageText(p: ProcessInfo): string {
  if (p.cpu_percent == null && p.rss_bytes == null) return "";
  return `CPU ${formatCpu(p.cpu_percent ?? null)} MEM ${formatBytes(p.rss_bytes ?? null)}`;
}

function header(s: UiState, g: Geometry, out: OutLayout): string {
  const left = drawSegs([{ text: " Processes", sgr: "1" }, {
    text: ` ${s.processes.length}`,
    sgr: "2",
  }], g.listWidth);
  const segs: Seg[] = [{ text: " ", sgr: "" }];
  const p = s.processes.find((x) => x.name === s.selected);
  if (p) {
    segs.push({ text: p.name, sgr: "1" }, { text: " ", sgr: "" });
    segs.push({ text: stateLabel(p), sgr: stateMark(p).sgr });
    const use = usageText(p);
    if (use) segs.push({ text: ` · ${use}`, sgr: "2" });
    segs.push({ text: ` · ${s.mode}`, sgr: "36" });
    const o = outputOf(s, p.name);
    if (o.scroll.kind === "paused") {
      const more = o.unseen > 0 ? ` +${o.unseen} new` : "";
      segs.push({ text: " · ", sgr: "" }, { text: `paused${more}`, sgr: "1;33" });
    } else if (!o.buf.live) {
      segs.push({ text: " · ", sgr: "" }, { text: "catching up", sgr: "33" });
    }
    if (o.buf.loading) segs.push({ text: " · loading…", sgr: "2" });
    else if (o.scroll.kind === "paused" && !out.atTop) segs.push({ text: " · ↑", sgr: "2" });
  }
  const f = compileFilter(s.filter);
  if (s.filter.text) {
    const shown = s.filter.regex ? `/${s.filter.text}/` : `"${s.filter.text}"`;
    segs.push({ text: ` · filter ${shown}`, sgr: "35" });
    if (f.error) segs.push({ text: " (invalid regex, not applied)", sgr: "1;31" });
  }
  return left + "\x1b[2m│\x1b[0m" + drawSegs(segs, g.outWidth);
}

function emptyText(s: UiState): string {
  if (!s.processes.length) return "no processes in this session";
  if (s.selected === null) return "";
  const o = outputOf(s, s.selected);
  if (!o.buf.loaded && o.buf.loading) return "loading…";
  if (s.filter.text && !compileFilter(s.filter).error && o.buf.lines.length) {
    return "no lines match the filter";
  }
  return "(no output yet)";
}

function outputRows(s: UiState, g: Geometry, out: OutLayout): string[] {
  const width = g.outWidth - g.gutter;
  const rows: string[] = [];
  if (s.help) {
    const help = helpRows();
    for (let i = 0; i < g.bodyHeight; i++) {
      rows.push(drawSegs([{ text: " " + (help[i] ?? ""), sgr: i === 0 ? "1" : "" }], g.outWidth));
    }
    return rows;
  }
  for (let i = 0; i < g.bodyHeight; i++) {
    const r = out.rows[i];
    if (!r) {
      const text = i === 0 && !out.rows.length ? emptyText(s) : "";
      rows.push(drawSegs([{ text: " ".repeat(g.gutter) + text, sgr: "2" }], g.outWidth));
      continue;
    }
    let gutter = " ";
    if (r.line.annotation) gutter = "\x1b[36m▌\x1b[0m";
    else if (r.line.stream === "stderr" && s.mode === "both") gutter = "\x1b[31m▌\x1b[0m";
    else if (r.line.stream === "browser" && s.mode === "both") gutter = "\x1b[35m▌\x1b[0m";
    const body = fit(r.text, width);
    rows.push(gutter + (r.line.annotation ? `\x1b[36m${body}${RESET}` : body));
  }
  return rows;
}

function statusBar(s: UiState, width: number): string {
  const base = "7";
  if (s.input === "filter") {
    const f = compileFilter(s.filter);
    const segs: Seg[] = [
      { text: s.filter.regex ? " regex /" : " filter /", sgr: "1" },
      { text: s.filter.text + "▏", sgr: "" },
    ];
    if (f.error) segs.push({ text: `  invalid regex: ${f.error}`, sgr: "1;31" });
    segs.push({ text: "  Enter keep · Esc clear · Tab/^R regex", sgr: "2" });
    return drawSegs(segs, width, base);
  }
  if (s.input === "send") {
    const segs: Seg[] = [
      { text: ` send to ${s.selected ?? "?"} ›`, sgr: "1" },
      { text: " " + s.sendText + "▏", sgr: "" },
      { text: "  Enter send (with a newline) · Esc cancel", sgr: "2" },
    ];
    return drawSegs(segs, width, base);
  }
  if (s.notice) {
    const sgr = s.notice.level === "error" ? "1;31" : "";
    return drawSegs([{ text: " " + s.notice.text, sgr }], width, base);
  }
  if (s.closed !== null) {
    return drawSegs([{ text: ` daemon gone: ${s.closed} · q quit`, sgr: "1;31" }], width, base);
  }
  // The first hint ("? help") always shows; the counts give way to it.
  const firstW = 2 + textWidth(HINTS[0][0]) + textWidth(HINTS[0][1]);
  const right = ellipsize(counts(s.processes, width < 100), width - firstW - 2) + " ";
  const room = width - textWidth(right) - 1;
  const segs: Seg[] = [];
  let used = 0;
  for (const [key, what] of HINTS) {
    const w = 1 + textWidth(key) + 1 + textWidth(what);
    if (used + w > room && used > 0) break;
    segs.push({ text: " " + key, sgr: "1" }, { text: " " + what, sgr: "" });
    used += w;
  }
  segs.push({ text: " ".repeat(Math.max(0, width - used - textWidth(right))), sgr: "" });
  segs.push({ text: right, sgr: "" });
  return drawSegs(segs, width, base);
}

/** Draws the whole screen: `rows` lines of exactly `cols` cells. */
export function view(s: UiState): string[] {
  const g = geometry(s);
  if (!g.usable) {
    const lines = Array.from(
      { length: Math.max(0, s.rows) },
      () => " ".repeat(Math.max(0, s.cols)),
    );
    if (lines.length) lines[0] = fit("terminal too small", s.cols);
    return lines;
  }
  const pane = s.selected !== null ? paneOf(s, s.selected) : null;
  const out: OutLayout = pane && s.selected !== null
    ? layout(pane, outputOf(s, s.selected).scroll)
    : { rows: [], top: null, atTop: true, atBottom: true };
  const lines = [header(s, g, out)];
  const sel = s.processes.findIndex((p) => p.name === s.selected);
  const offset = listOffset(s.processes.length, Math.max(0, sel), g.bodyHeight);
  const right = outputRows(s, g, out);
  for (let i = 0; i < g.bodyHeight; i++) {
    lines.push(listRow(s, offset + i, g.listWidth) + "\x1b[2m│\x1b[0m" + right[i]);
  }
  lines.push(statusBar(s, s.cols));
  return lines;
}
