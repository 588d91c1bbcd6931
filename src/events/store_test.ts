/** Unit tests of the event file: round trip, bound, torn lines, filters. */

import { deepEqual, equal } from "node:assert/strict";
import { EventLog, readEvents } from "./store.ts";
import { decodeEvent, eventJson, eventText, type ProcEvent } from "./types.ts";

const ev = (i: number, name = "web"): ProcEvent => ({
  time: new Date(1_700_000_000_000 + i * 1000).toISOString(),
  name,
  id: `p${i}`,
  type: i % 2 ? "spawned" : "exited",
  details: { pid: 100 + i, code: null },
});

Deno.test("events: JSON and text forms, and decoding refuses what is not an event", () => {
  const e = ev(1);
  deepEqual(decodeEvent(eventJson(e)), e);
  equal(eventText(e), "2023-11-14T22:13:21.000Z web spawned pid=101 code=-");
  equal(decodeEvent('{"time":"t","name":"w","id":"p1","type":"dancing"}'), null);
  equal(decodeEvent('{"time":"t","name":"w"'), null);
});

Deno.test("EventLog: appends, keeps the newest events, survives a torn last line", () => {
  const dir = Deno.makeTempDirSync();
  try {
    const path = `${dir}/events.ndjson`;
    const log = new EventLog(path, 10);
    for (let i = 0; i < 25; i++) log.append(ev(i, i % 3 ? "web" : "api"));
    Deno.writeTextFileSync(path, '{"time":"2023', { append: true });
    const all = readEvents(path);
    equal(all[all.length - 1].id, "p24");
    equal(all.length <= 15 && all.length >= 10, true, String(all.length));
    equal(readEvents(path, { names: ["api"] }).every((e) => e.name === "api"), true);
    const since = Date.parse(ev(22).time);
    deepEqual(readEvents(path, { sinceMs: since }).map((e) => e.id), ["p22", "p23", "p24"]);
    equal(readEvents(`${dir}/none.ndjson`).length, 0);
    new EventLog(path, 10).append(ev(30));
    equal(readEvents(path).at(-1)?.id, "p30");
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});
