/**
 * Usage details a newcomer hits: group help for `session`, flag values
 * checked before any lookup (and before a daemon could start), and the
 * unknown-command error naming the command, not a flag's value.
 */

import { equal, match } from "node:assert/strict";
import { withEnv } from "./helpers/harness.ts";

Deno.test("session --help and session list --help print help, exit 0", async () => {
  await withEnv("usage", async (env) => {
    const group = await env.cli(["session", "--help"]);
    equal(group.code, 0, group.stderr);
    match(group.stdout, /session list/);
    match(group.stdout, /session clean/);
    const list = await env.cli(["session", "list", "--help"]);
    equal(list.code, 0, list.stderr);
    match(list.stdout, /^Usage: agent-procs session list/);
    const bare = await env.cli(["session"]);
    equal(bare.code, 1);
    match(bare.stderr, /^error: session: missing subcommand/);
  });
});

Deno.test("a malformed flag value is a usage error even for an unknown target", async () => {
  await withEnv("usage", async (env) => {
    for (
      const args of [
        ["logs", "nosuch", "--tail", "notanumber"],
        ["wait", "nosuch", "--until", "x", "--timeout", "soon"],
        ["run", "--port", "99999", "--", "true"],
        ["run", "--autorestart", "sometimes", "--", "true"],
      ]
    ) {
      const r = await env.cli(args);
      equal(r.code, 1, `${args.join(" ")}: ${r.stderr}`);
      match(r.stderr, /^error: --\w[\w-]* expects /, args.join(" "));
    }
    // Nothing was looked up or started: no daemon for this session.
    equal(env.daemonPid(), null);
  });
});

Deno.test("--session X nosuchcommand names nosuchcommand", async () => {
  await withEnv("usage", async (env) => {
    const r = await env.cli(["--session", "other", "nosuchcommand"]);
    equal(r.code, 1);
    match(r.stderr, /^error: unknown command "nosuchcommand"/);
  });
});
