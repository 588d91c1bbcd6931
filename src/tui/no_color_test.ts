/** Unit tests of NO_COLOR in the UI: colours go, meaningful attributes stay. */

import { equal } from "node:assert/strict";
import { noColorWanted, stripColor } from "./no_color.ts";

Deno.test("stripColor: colours removed, bold and reverse kept", () => {
  equal(stripColor("\x1b[1;31mfail\x1b[0m"), "\x1b[1mfail\x1b[0m");
  equal(stripColor("\x1b[7;36m sel \x1b[0m"), "\x1b[7m sel \x1b[0m");
  equal(
    stripColor("\x1b[38;5;245mgrey\x1b[0m \x1b[38;2;1;2;3mrgb\x1b[0m"),
    "grey\x1b[0m rgb\x1b[0m",
  );
  equal(stripColor("\x1b[32m"), "");
  equal(stripColor("\x1b[2;1Hplain"), "\x1b[2;1Hplain");
});

Deno.test("noColorWanted: set and not empty", () => {
  equal(noColorWanted({ get: () => "1" }), true);
  equal(noColorWanted({ get: () => "" }), false);
  equal(noColorWanted({ get: () => undefined }), false);
});
