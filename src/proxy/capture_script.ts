/**
 * The browser-side capture script, served by the proxy at
 * `/_agent-procs/capture.js` to pages of processes with browser logs on. It
 * wraps `console.debug/log/info/warn/error` (the originals still run),
 * listens for uncaught errors, unhandled rejections and failed resource
 * loads, and posts batches to `/_agent-procs/console` as
 * `{"entries": [{level, text, url, line, col}]}`.
 *
 * Rules it keeps: every piece runs inside try/catch so nothing throws into
 * the page; a re-entry guard stops its own work (a getter that logs while an
 * object is being formatted) from recursing; it only replaces the five
 * console methods it found as functions and adds listeners, nothing else;
 * it keeps its own references to `fetch`, `sendBeacon`, `setTimeout` and
 * `JSON.stringify` so later page patches do not see its traffic. Caps: 2000
 * characters per message, 100 entries per second (the excess is counted and
 * reported as one entry), 20 entries or 250 ms per batch, beacon on `pagehide`.
 *
 * Hand-written ES5 so it runs unchanged in any browser the dev server targets.
 */

/** The script's source (`text/javascript`). */
export const CAPTURE_JS = String.raw`(function (w) {
  "use strict";
  try {
    if (!w || w.__agentProcsCapture) return;
    Object.defineProperty(w, "__agentProcsCapture", { value: true });
  } catch (e) { return; }
  var ENDPOINT = "/_agent-procs/console", SELF = "/_agent-procs/capture.js";
  var MAX_TEXT = 2000, MAX_BATCH = 20, FLUSH_MS = 250, PER_SECOND = 100;
  var queue = [], timer = null, busy = false, windowStart = 0, inWindow = 0, dropped = 0;
  var stringify = JSON.stringify, now = Date.now, setT = w.setTimeout, ErrorCtor = w.Error;
  var nav = w.navigator, fetchFn = typeof w.fetch === "function" ? w.fetch : null;
  var beacon = nav && typeof nav.sendBeacon === "function" ? nav.sendBeacon : null;

  function cap(s) {
    return s.length > MAX_TEXT ? s.slice(0, MAX_TEXT) + "… (" + (s.length - MAX_TEXT) + " more chars)" : s;
  }
  function frameOf(stack) {
    if (typeof stack !== "string") return null;
    var lines = stack.split("\n");
    for (var i = 0; i < lines.length; i++) {
      var m = /((?:https?|file|blob|webpack|chrome-extension):[^\s()]*?):(\d+):(\d+)\)?\s*$/.exec(lines[i]);
      if (m && m[1].indexOf(SELF) === -1) return { url: m[1], line: +m[2], col: +m[3] };
    }
    return null;
  }
  function isError(v) {
    try { return v instanceof ErrorCtor || (v && typeof v === "object" && typeof v.stack === "string" && typeof v.message === "string"); } catch (e) { return false; }
  }
  function errorText(v) {
    var name = "Error", message = "";
    try { name = String(v.name || "Error"); message = String(v.message); } catch (e) {}
    var f = null;
    try { f = frameOf(v.stack); } catch (e) {}
    return (message ? name + ": " + message : name) + (f ? " at " + f.url + ":" + f.line + ":" + f.col : "");
  }
  function json(v, depth, seen, budget) {
    if (budget.left <= 0) return "…";
    var t = typeof v;
    if (v === null || t === "boolean") return String(v);
    if (t === "number") return v === 0 && 1 / v < 0 ? "-0" : isFinite(v) ? String(v) : String(v);
    if (t === "undefined") return "undefined";
    if (t === "bigint") return String(v) + "n";
    if (t === "string") { budget.left -= v.length; return stringify(v.length > 200 ? v.slice(0, 200) + "…" : v); }
    if (t === "symbol") return String(v);
    if (t === "function") return "ƒ " + (v.name || "anonymous") + "()";
    if (isError(v)) return errorText(v);
    for (var s = 0; s < seen.length; s++) if (seen[s] === v) return "[Circular]";
    if (typeof v.nodeType === "number" && typeof v.nodeName === "string") {
      if (v.nodeType !== 1) return "#" + String(v.nodeName).toLowerCase().replace(/^#/, "");
      var tag = "<" + String(v.nodeName).toLowerCase();
      if (v.id) tag += ' id="' + v.id + '"';
      if (typeof v.className === "string" && v.className) tag += ' class="' + v.className + '"';
      return tag + ">";
    }
    if (v instanceof Date) return isNaN(v.getTime()) ? "Invalid Date" : v.toISOString();
    if (v instanceof RegExp) return String(v);
    if (depth >= 4) return Array.isArray(v) ? "[…]" : "{…}";
    seen.push(v);
    var out = [], i, n = 0;
    try {
      if (Array.isArray(v)) {
        for (i = 0; i < v.length && budget.left > 0; i++) {
          if (i >= 100) { out.push("…" + (v.length - i) + " more"); break; }
          out.push(json(v[i], depth + 1, seen, budget));
          budget.left -= 2;
        }
        return "[" + out.join(",") + "]";
      }
      if (typeof Map === "function" && v instanceof Map) return "Map(" + v.size + ")";
      if (typeof Set === "function" && v instanceof Set) return "Set(" + v.size + ")";
      var keys = Object.keys(v);
      for (i = 0; i < keys.length && budget.left > 0; i++) {
        if (++n > 50) { out.push("…"); break; }
        var d = Object.getOwnPropertyDescriptor(v, keys[i]);
        var val = d && "value" in d ? json(d.value, depth + 1, seen, budget) : "(…)";
        out.push(stringify(keys[i]) + ":" + val);
        budget.left -= keys[i].length + 3;
      }
      return "{" + out.join(",") + "}";
    } finally { seen.pop(); }
  }
  function show(v) {
    if (typeof v === "string") return v;
    try { return json(v, 0, [], { left: MAX_TEXT }); } catch (e) { return "[object]"; }
  }
  function formatArgs(args) {
    var parts = [], i = 0;
    if (typeof args[0] === "string" && args[0].indexOf("%") !== -1 && args.length > 1) {
      i = 1;
      parts.push(args[0].replace(/%([sdifoOc%])/g, function (all, k) {
        if (k === "%") return "%";
        if (i >= args.length) return all;
        var a = args[i++];
        if (k === "c") return "";
        if (k === "d" || k === "i") return typeof a === "symbol" ? "NaN" : String(parseInt(a, 10));
        if (k === "f") return typeof a === "symbol" ? "NaN" : String(parseFloat(a));
        return show(a);
      }));
    }
    for (; i < args.length; i++) parts.push(show(args[i]));
    return parts.join(" ");
  }
  function post(body, beaconToo) {
    try {
      if (beaconToo && beacon) {
        beacon.call(nav, ENDPOINT, new Blob([body], { type: "application/json" }));
        return;
      }
      if (fetchFn) {
        var p = fetchFn.call(w, ENDPOINT, { method: "POST", body: body, keepalive: true, headers: { "content-type": "application/json" } });
        if (p && typeof p.catch === "function") p.catch(function () {});
      } else if (beacon) beacon.call(nav, ENDPOINT, new Blob([body], { type: "application/json" }));
    } catch (e) {}
  }
  function send(beaconToo) {
    timer = null;
    while (queue.length > 0) {
      // batches stay under 60000 bytes even if every character takes 3 bytes in UTF-8
      var batch = [], size = 20;
      while (queue.length > 0 && batch.length < MAX_BATCH) {
        var s = stringify(queue[0]).length * 3 + 1;
        if (batch.length > 0 && size + s > 60000) break;
        batch.push(queue.shift());
        size += s;
      }
      post(stringify({ entries: batch }), beaconToo);
    }
  }
  function push(level, text, loc) {
    var t = now();
    if (t - windowStart >= 1000) {
      if (dropped > 0) queue.push({ level: "warn", text: "[agent-procs] " + dropped + " console entries dropped (over " + PER_SECOND + "/s)" });
      windowStart = t; inWindow = 0; dropped = 0;
    }
    if (++inWindow > PER_SECOND) { dropped++; return; }
    var e = { level: level, text: cap(text) };
    if (loc) { e.url = String(loc.url).slice(0, 500); e.line = loc.line; e.col = loc.col; }
    queue.push(e);
    if (queue.length >= MAX_BATCH) send(false);
    else if (timer === null) {
      try { timer = setT.call(w, function () { busy = true; try { send(false); } catch (e) {} busy = false; }, FLUSH_MS); } catch (e) { send(false); }
    }
  }
  function guarded(fn) {
    if (busy) return;
    busy = true;
    try { fn(); } catch (e) {}
    busy = false;
  }

  var c = w.console;
  if (c && (typeof c === "object" || typeof c === "function")) {
    var levels = ["debug", "log", "info", "warn", "error"];
    for (var li = 0; li < levels.length; li++) (function (level) {
      try {
        var orig = c[level];
        if (typeof orig !== "function") return;
        var wrapper = function () {
          var args = arguments;
          guarded(function () {
            var loc = null;
            try { loc = frameOf(new ErrorCtor().stack); } catch (e) {}
            push(level, formatArgs(args), loc);
          });
          return orig.apply(this === undefined || this === w ? c : this, args);
        };
        c[level] = wrapper;
      } catch (e) {}
    })(levels[li]);
  }

  try {
    w.addEventListener("error", function (ev) {
      guarded(function () {
        var target = ev.target;
        if (target && target !== w && target.nodeType === 1) {
          var url = target.src || target.href || (target.getAttribute && (target.getAttribute("src") || target.getAttribute("href")));
          if (url) push("error", "Failed to load resource: " + String(url), null);
          return;
        }
        var err = ev.error, text;
        if (isError(err)) {
          text = "Uncaught " + String(err.name || "Error") + (err.message ? ": " + String(err.message) : "");
        } else {
          text = String(ev.message || (err === undefined ? "Script error." : show(err)));
          if (text.indexOf("Uncaught") !== 0) text = "Uncaught " + text;
        }
        var loc = ev.filename ? { url: ev.filename, line: ev.lineno || 0, col: ev.colno || 0 } : (isError(err) ? frameOf(err.stack) : null);
        push("error", text, loc);
      });
    }, true);
    w.addEventListener("unhandledrejection", function (ev) {
      guarded(function () {
        var r = ev.reason, loc = null;
        var text = isError(r) ? String(r.name || "Error") + (r.message ? ": " + String(r.message) : "") : show(r);
        if (isError(r)) { try { loc = frameOf(r.stack); } catch (e) {} }
        push("error", "Uncaught (in promise) " + text, loc);
      });
    });
    w.addEventListener("pagehide", function () { guarded(function () { send(true); }); });
    w.addEventListener("visibilitychange", function () {
      guarded(function () { if (w.document && w.document.visibilityState === "hidden") send(true); });
    });
  } catch (e) {}
})(typeof window !== "undefined" ? window : undefined);
`;
