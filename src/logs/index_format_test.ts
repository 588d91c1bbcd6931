import { deepEqual, equal } from "node:assert/strict";
import {
  blockEnd,
  encodeHeader,
  getRecord,
  HEADER_BYTES,
  parseHeader,
  putRecord,
  RECORD_BYTES,
  recordCount,
  segmentNumber,
} from "./index_format.ts";

Deno.test("header round trip and byte layout", () => {
  const h = encodeHeader(12345);
  equal(h.length, HEADER_BYTES);
  equal(new TextDecoder().decode(h.subarray(0, 4)), "APIX");
  equal(new DataView(h.buffer).getUint32(4, true), 2);
  deepEqual(parseHeader(h), { ok: true, baseSeq: 12345 });
});

Deno.test("bad headers are reported, not thrown", () => {
  equal(parseHeader(new Uint8Array(3)).ok, false);
  const bad = encodeHeader(1);
  bad[0] = 0x42;
  const r = parseHeader(bad);
  equal(r.ok, false);
  if (!r.ok) equal(r.reason.includes("magic"), true);
  const v1 = encodeHeader(1);
  new DataView(v1.buffer).setUint32(4, 1, true);
  const r1 = parseHeader(v1);
  equal(!r1.ok && r1.reason.includes("version 1"), true);
});

Deno.test("block records are 32 little-endian bytes and round trip", () => {
  const dv = new DataView(new ArrayBuffer(RECORD_BYTES * 2));
  const r = {
    ts: 1700000000123.5,
    first: 4_000_000_000,
    count: 32768,
    offset: 1_073_741_824,
    length: 65536,
    generation: 7,
    stream: 1 as const,
    flags: 5,
  };
  equal(RECORD_BYTES, 32);
  putRecord(dv, RECORD_BYTES, r);
  deepEqual(getRecord(dv, RECORD_BYTES), r);
  equal(dv.getUint32(RECORD_BYTES + 8, true), 4_000_000_000);
  equal(dv.getUint32(RECORD_BYTES + 12, true), 32768);
  equal(dv.getUint8(RECORD_BYTES + 28), 1);
  equal(dv.getUint8(RECORD_BYTES + 29), 5);
});

Deno.test("record count ignores a torn trailing record", () => {
  equal(recordCount(0), 0);
  equal(recordCount(HEADER_BYTES), 0);
  equal(recordCount(HEADER_BYTES + RECORD_BYTES * 3 + 10), 3);
});

Deno.test("block end: offset plus length (the newlines are part of the block)", () => {
  equal(blockEnd({ offset: 10, length: 5 }), 15);
});

Deno.test("segment numbers from file names", () => {
  equal(segmentNumber("out.1.log"), 1);
  equal(segmentNumber("err.12.log"), 12);
  equal(segmentNumber("idx.3.bin"), 3);
  equal(segmentNumber("idx.0.bin"), null);
  equal(segmentNumber("out.1.log.tmp"), null);
  equal(segmentNumber("daemon.log"), null);
});
