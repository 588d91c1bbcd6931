/** Loading `--env-file F` for `run`: a dotenv file, with errors as `error: F:LINE:COL: ...`. */

import { parseDotenv } from "../config/dotenv.ts";
import { CliError, messageOf } from "../errors.ts";

/** Reads and parses a dotenv file; throws a usage error naming the file and place. */
export function loadEnvFile(path: string): Record<string, string> {
  let text: string;
  try {
    text = Deno.readTextFileSync(path);
  } catch (e) {
    throw new CliError(`cannot read env file ${path}: ${messageOf(e)}`);
  }
  const r = parseDotenv(text);
  if (!r.ok) throw new CliError(`${path}:${r.line}:${r.col}: ${r.message}`);
  return r.vars;
}
