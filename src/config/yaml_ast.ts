/**
 * Reading a parsed YAML document with positions: a small wrapper around the
 * `yaml` package's nodes that resolves aliases and `<<` merge keys, names a
 * node's type for messages, and collects errors with their line and column.
 * It takes the `yaml` module as a value (loaded by `load.ts` with a dynamic
 * import), so importing this file never loads the YAML parser.
 */

import type * as Yaml from "yaml";
import type { ConfigError, Pos } from "./types.ts";

/** The `yaml` module, as returned by `await import("yaml")`. */
export type YamlModule = typeof Yaml;

/** A YAML node as the parser produced it. */
export type YNode = Yaml.Node;

/** One key of a map with the nodes of its key and value. */
export interface Entry {
  key: string;
  keyNode: YNode;
  /** The value, aliases resolved; null when the key has no value node. */
  value: YNode | null;
  /** True when the value is an unknown alias (already reported): skip it. */
  broken: boolean;
}

/** Positions, type tests and an error list over one parsed document. */
export class Ast {
  /** Errors found so far, in the order they were found. */
  readonly errors: ConfigError[] = [];

  /** Wraps a document parsed with `lineCounter: lc`. */
  constructor(
    readonly y: YamlModule,
    readonly doc: Yaml.Document,
    readonly lc: Yaml.LineCounter,
    readonly file: string,
  ) {}

  /** 1-based line and column of an offset. */
  posAt(offset: number): Pos {
    const { line, col } = this.lc.linePos(offset);
    return { line, col };
  }

  /** Where a node starts (line 1, column 1 when the parser gave no range). */
  pos(node: YNode): Pos {
    return this.posAt(node.range?.[0] ?? 0);
  }

  /** Records an error at a node (or at a given position). */
  fail(at: YNode | Pos, message: string): void {
    const p = "line" in at ? at : this.pos(at);
    this.errors.push({ file: this.file, line: p.line, col: p.col, message });
  }

  /** Follows aliases; records an error and returns null for an unknown anchor. */
  resolve(node: YNode | null | undefined): YNode | null {
    let n: YNode | null | undefined = node;
    for (let hops = 0; n && this.y.isAlias(n); hops++) {
      const target: YNode | undefined = hops > 32 ? undefined : n.resolve(this.doc);
      if (!target) {
        this.fail(n, `unknown alias *${n.source}`);
        return null;
      }
      n = target;
    }
    return n ?? null;
  }

  /** True for a null scalar (`key:` with nothing, `~`, `null`) or a missing node. */
  isNull(node: YNode | null): boolean {
    return node === null || (this.y.isScalar(node) && node.value === null);
  }

  /** Names a node's type for messages: "a map", "a list", "a string", ... */
  describe(node: YNode | null): string {
    if (node === null) return "nothing";
    if (this.y.isMap(node)) return "a map";
    if (this.y.isSeq(node)) return "a list";
    if (this.y.isScalar(node)) {
      const v = node.value;
      if (v === null) return "null";
      if (typeof v === "string") return `the string ${JSON.stringify(v)}`;
      if (typeof v === "boolean") return `the boolean ${v}`;
      if (typeof v === "number" || typeof v === "bigint") return `the number ${node.source ?? v}`;
    }
    return "an unsupported value";
  }

  /** A scalar's text: strings as they are, numbers and booleans as written. */
  scalarText(node: YNode): string | null {
    if (!this.y.isScalar(node)) return null;
    const v = node.value;
    if (typeof v === "string") return v;
    if (typeof v === "number" || typeof v === "bigint" || typeof v === "boolean") {
      return node.type === "PLAIN" && node.source ? node.source : String(v);
    }
    return null;
  }

  /** The entries of a map in order, `<<` merges expanded (explicit keys win). */
  entries(map: Yaml.YAMLMap): Entry[] {
    const own: Entry[] = [];
    const merged: Entry[] = [];
    for (const item of map.items) {
      const keyNode = item.key as YNode | null;
      if (keyNode === null || !this.y.isNode(keyNode)) {
        this.fail(map, "a key is missing");
        continue;
      }
      if (this.y.isScalar(keyNode) && typeof keyNode.value === "symbol") {
        merged.push(...this.mergeSources(item.value as YNode | null, keyNode));
        continue;
      }
      const key = this.scalarText(keyNode);
      if (key === null) {
        this.fail(keyNode, `a key must be a plain name, got ${this.describe(keyNode)}`);
        continue;
      }
      const value = this.resolve(item.value as YNode | null);
      own.push({ key, keyNode, value, broken: value === null && item.value !== null });
    }
    const seen = new Set(own.map((e) => e.key));
    for (const e of merged) {
      if (seen.has(e.key)) continue;
      seen.add(e.key);
      own.push(e);
    }
    return own;
  }

  private mergeSources(value: YNode | null, at: YNode): Entry[] {
    const v = this.resolve(value);
    const sources = v && this.y.isSeq(v) ? v.items.map((i) => this.resolve(i as YNode)) : [v];
    const out: Entry[] = [];
    for (const s of sources) {
      if (s && this.y.isMap(s)) out.push(...this.entries(s));
      else this.fail(s ?? at, `"<<" merges a map (or a list of maps), got ${this.describe(s)}`);
    }
    return out;
  }
}
