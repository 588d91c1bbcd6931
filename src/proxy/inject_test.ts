/** Unit tests of the pure injection rules: which responses qualify, and `HeadInjector` on split bodies. */

import assert from "node:assert/strict";
import { HeadInjector, injectDecision, reservedPath, scriptTag } from "./inject.ts";

const enc = new TextEncoder();
const dec = new TextDecoder("utf-8", { ignoreBOM: true });
const TAG = '<script src="/_agent-procs/capture.js"></script>';

/** Runs `html` through a HeadInjector in pieces of `size` bytes; returns the output. */
function run(html: string | Uint8Array, size: number, lookahead?: number): string {
  const bytes = typeof html === "string" ? enc.encode(html) : html;
  const inj = new HeadInjector(enc.encode(TAG), lookahead);
  const out: Uint8Array[] = [];
  for (let i = 0; i < bytes.length; i += size) out.push(...inj.push(bytes.subarray(i, i + size)));
  out.push(...inj.end());
  const all = new Uint8Array(out.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of out) {
    all.set(p, at);
    at += p.length;
  }
  return dec.decode(all);
}

Deno.test("HeadInjector puts the tag right after <head ...>, however the body is split", () => {
  const page = '<!DOCTYPE html><html><HEAD lang="x"><title>t</title></head><body>é</body></html>';
  const want = page.replace('<HEAD lang="x">', `<HEAD lang="x">${TAG}`);
  for (let size = 1; size <= page.length; size++) {
    assert.equal(run(page, size), want, `size ${size}`);
  }
});

Deno.test("HeadInjector does not take <header> for <head>", () => {
  const page = "<html><body><header>h</header></body></html>";
  assert.equal(run(page, 3), `<html>${TAG}<body><header>h</header></body></html>`);
});

Deno.test("HeadInjector falls back after <html>, the doctype, a BOM, or at the start", () => {
  assert.equal(run("<!doctype html><p>x</p>", 4), `<!doctype html>${TAG}<p>x</p>`);
  assert.equal(run("<p>x</p>", 2), `${TAG}<p>x</p>`);
  assert.equal(run("", 1), TAG);
  const bom = new Uint8Array([0xef, 0xbb, 0xbf, ...enc.encode("<p>x</p>")]);
  assert.equal(run(bom, 2), `\ufeff${TAG}<p>x</p>`);
  assert.equal(
    run("<!doctype html><body><head></head>", 5),
    `<!doctype html>${TAG}<body><head></head>`,
  );
});

Deno.test("HeadInjector looks ahead only so far, then passes chunks through untouched", () => {
  const filler = "<!-- " + "x".repeat(100) + " -->";
  const page = `${filler}<head></head>`;
  assert.equal(run(page, 10, 64), `${TAG}${page}`);
  const inj = new HeadInjector(enc.encode(TAG), 64);
  assert.deepEqual(inj.push(enc.encode("<head")), []);
  const out = inj.push(enc.encode("><title>"));
  assert.equal(out.map((p) => dec.decode(p)).join(""), `<head>${TAG}<title>`);
  const later = enc.encode("rest");
  assert.equal(inj.push(later)[0], later, "the same chunk object, not a copy");
});

Deno.test("HeadInjector leaves a UTF-16 body alone", () => {
  const utf16 = new Uint8Array([0xff, 0xfe, 0x3c, 0, 0x70, 0]);
  assert.equal(run(utf16, 2), dec.decode(utf16));
});

Deno.test("injectDecision: only whole HTML documents", () => {
  const h = (o: Record<string, string>) => new Headers(o);
  const html = { "content-type": "text/html; charset=utf-8" };
  const none = h({});
  assert.deepEqual(injectDecision("GET", none, 200, h(html)), { kind: "inject", encoding: null });
  assert.deepEqual(injectDecision("GET", h({ "sec-fetch-dest": "document" }), 200, h(html)), {
    kind: "inject",
    encoding: null,
  });
  assert.deepEqual(
    injectDecision("GET", none, 200, h({ ...html, "content-encoding": "br" })),
    { kind: "inject", encoding: "br" },
  );
  const skips: [string, Headers, number, Record<string, string>][] = [
    ["HEAD", none, 200, html],
    ["POST", none, 200, html],
    ["GET", none, 304, html],
    ["GET", none, 204, html],
    ["GET", none, 206, { ...html, "content-range": "bytes 0-1/2" }],
    ["GET", h({ range: "bytes=0-1" }), 200, html],
    ["GET", none, 200, { "content-type": "application/json" }],
    ["GET", none, 200, { "content-type": "text/htmlx" }],
    ["GET", none, 200, {}],
    ["GET", none, 200, { ...html, "content-disposition": "attachment; filename=a.html" }],
    ["GET", h({ "sec-fetch-dest": "empty" }), 200, html],
    ["GET", none, 200, { "content-type": "text/html; charset=utf-16" }],
  ];
  for (const [m, req, status, headers] of skips) {
    assert.deepEqual(
      injectDecision(m, req, status, h(headers)),
      { kind: "skip" },
      `${m} ${status} ${JSON.stringify(headers)}`,
    );
  }
  assert.equal(
    injectDecision("GET", none, 200, h({ ...html, "content-encoding": "zstd" })).kind,
    "refuse",
  );
});

Deno.test("reservedPath and scriptTag", () => {
  assert.equal(reservedPath("http://web.localhost:9090/_agent-procs/console"), "console");
  assert.equal(reservedPath("http://web.localhost:9090/_agent-procs/capture.js?v=1"), "capture");
  assert.equal(reservedPath("http://web.localhost:9090/_agent-procs/other"), null);
  assert.equal(reservedPath("http://web.localhost:9090/"), null);
  assert.equal(reservedPath("http://web.localhost:9090"), null);
  assert.equal(reservedPath("http://web.localhost:9090/app/_agent-procs/console"), null);
  assert.equal(scriptTag(null), TAG);
  assert.equal(scriptTag("n0"), '<script src="/_agent-procs/capture.js" nonce="n0"></script>');
});

Deno.test("HeadInjector splices inside a held part without copying the others", () => {
  const inj = new HeadInjector(enc.encode(TAG));
  const a = enc.encode("<html><he");
  const big = enc.encode("ad>" + "x".repeat(200_000));
  const out = [...inj.push(a), ...inj.push(big)];
  assert.equal(out[0], a);
  assert.equal(dec.decode(out[1]), "ad>");
  assert.equal(dec.decode(out[2]), TAG);
  assert.equal(out[3].buffer, big.buffer, "a view of the big chunk, not a copy");
  assert.equal(out[3].length, 200_000);
});
