/** Unit tests of run's argument quoting. */

import { equal } from "node:assert/strict";
import { commandFromArgs, shellQuote } from "./shellwords.ts";

Deno.test("one argument is a shell command as written", () => {
  equal(commandFromArgs(["npm run dev && echo 'ok'"]), "npm run dev && echo 'ok'");
});

Deno.test("several arguments are quoted words", () => {
  equal(commandFromArgs(["npm", "run", "dev", "--port", "3000"]), "npm run dev --port 3000");
  equal(
    commandFromArgs(["sh", "-c", "echo out1; echo 'x'"]),
    `sh -c 'echo out1; echo '\\''x'\\'''`,
  );
  equal(commandFromArgs(["echo", "$HOME", ""]), "echo '$HOME' ''");
  equal(shellQuote("a=b,c:d/e.f@g%h+i"), "a=b,c:d/e.f@g%h+i");
});

Deno.test("quoted words survive sh -c", async () => {
  const cmd = commandFromArgs(["printf", "%s|", "a b", "it's", "$X", "*"]);
  const out = await new Deno.Command("sh", { args: ["-c", cmd], stdout: "piped", env: { X: "no" } })
    .output();
  equal(new TextDecoder().decode(out.stdout), "a b|it's|$X|*|");
});
