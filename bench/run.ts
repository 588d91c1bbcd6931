/**
 * `deno task bench`: runs every benchmark in bench/ one after another (they
 * print numbers; none is a test). Pass names to run a subset: `deno task bench core stack`.
 * `cli_compare.ts` needs another checkout to compare with, so it is run by hand.
 */

const ALL = [
  "core",
  "cli_startup",
  "daemon_memory",
  "stack",
  "supervise",
  "tui",
  "logs_write",
  "burst",
  "logs_read",
  "proxy",
  "inject",
  "flood",
  "ports",
  "digest",
];
const chosen = Deno.args.length ? Deno.args : ALL;
const dir = new URL(".", import.meta.url).pathname;
let failed = 0;
for (const name of chosen) {
  const file = `${dir}${name}.ts`;
  try {
    Deno.statSync(file);
  } catch {
    console.log(`== ${name}: no such benchmark`);
    failed++;
    continue;
  }
  console.log(`== ${name}`);
  const st = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", file],
    stdout: "inherit",
    stderr: "inherit",
  })
    .output();
  if (!st.success) failed++;
}
if (failed) console.log(`${failed} benchmark(s) failed`);
