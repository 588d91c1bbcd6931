/**
 * Unit tests of the option catalogue's reach: every option an operation takes
 * is a flag of its CLI command and an argument of its MCP tool, with the same
 * help text, so neither presenter can silently lose one.
 */

import { equal, ok } from "node:assert/strict";
import { COMMANDS } from "../cli/table.ts";
import {
  argName,
  DOWN_OPTIONS,
  EXPORT_OPTIONS,
  INIT_OPTIONS,
  LOGS_OPTIONS,
  RUN_OPTIONS,
  SEND_OPTIONS,
  SETUP_AGENT_OPTIONS,
  STATUS_OPTIONS,
  UP_OPTIONS,
  WAIT_OPTIONS,
} from "./options.ts";
import type { OptionMap } from "./convert.ts";
import * as schemas from "../mcp/schemas.ts";
import type { z } from "zod";

const cases: [string, OptionMap, Record<string, z.ZodType>][] = [
  ["run", RUN_OPTIONS, schemas.runInput],
  ["logs", LOGS_OPTIONS, schemas.logsInput],
  ["send", SEND_OPTIONS, schemas.sendInput],
  ["wait", WAIT_OPTIONS, schemas.waitInput],
  ["up", UP_OPTIONS, schemas.upInput],
  ["down", DOWN_OPTIONS, schemas.downInput],
  ["init", INIT_OPTIONS, schemas.initInput],
  ["export", EXPORT_OPTIONS, schemas.exportInput],
  ["setup-agent", SETUP_AGENT_OPTIONS, schemas.setupAgentInput],
  ["status", STATUS_OPTIONS, schemas.statusInput],
];

for (const [command, map, shape] of cases) {
  Deno.test(`${command}: every option is a CLI flag and an MCP argument with one help text`, () => {
    const spec = COMMANDS.find((c) => c.name === command);
    ok(spec, command);
    for (const o of Object.values(map)) {
      ok(spec.flags.includes(o), `${command} --${o.name} missing from the CLI table`);
      const arg = shape[argName(o)];
      ok(arg, `${command} ${argName(o)} missing from the MCP schema`);
      ok(arg.description?.startsWith(o.help), `${command} ${argName(o)}: ${arg.description}`);
    }
  });
}

Deno.test("argName: kebab-case flags are snake_case arguments", () => {
  equal(argName(RUN_OPTIONS.maxRestarts), "max_restarts");
  equal(argName(RUN_OPTIONS.envFile), "env_file");
});
