/**
 * Third-party command-line tools from npm for tests, at pinned versions:
 * `npmTool` returns the path of a tool's executable under
 * `.tools/npm/NAME@VERSION/`, installing it there with `npm install` the
 * first time. When npm cannot install it, the test fails with the command to
 * run: it never skips. `deno run -A tests/helpers/npm_tool.ts` installs every
 * tool up front (for `.ci/run`, so the test run itself needs no network).
 */

const ROOT = new URL("../../", import.meta.url).pathname.replace(/\/$/, "");

/** A pinned npm package and the executable it provides. */
export interface NpmTool {
  /** Package name, e.g. `vite` or `@action-validator/cli`. */
  pkg: string;
  /** Exact version. */
  version: string;
  /** Name of the executable in `node_modules/.bin`. */
  bin: string;
}

/** The Vite dev server (its HMR WebSocket is tested through the proxy). */
export const VITE: NpmTool = { pkg: "vite", version: "8.4.0", bin: "vite" };

/** The GitHub Actions workflow validator. */
export const ACTION_VALIDATOR: NpmTool = {
  pkg: "@action-validator/cli",
  version: "0.6.0",
  bin: "action-validator",
};

/** Every npm tool the tests use. */
export const NPM_TOOLS: readonly NpmTool[] = [VITE, ACTION_VALIDATOR];

/** Directory a tool is installed into (`.tools/npm/vite@8.4.0`). */
export function npmToolDir(tool: NpmTool): string {
  return `${ROOT}/.tools/npm/${tool.pkg.replace("/", "+")}@${tool.version}`;
}

/** The shell command that installs `tool` where `npmTool` looks for it. */
export function npmInstallCommand(tool: NpmTool): string {
  return `npm install --prefix ${npmToolDir(tool)} --no-save --no-audit --no-fund ` +
    `${tool.pkg}@${tool.version}`;
}

function hint(tool: NpmTool): string {
  return `deno run -A tests/helpers/npm_tool.ts   # or: ${npmInstallCommand(tool)}`;
}

function isFile(path: string): boolean {
  try {
    return Deno.statSync(path).isFile;
  } catch {
    return false;
  }
}

/**
 * Path of `tool`'s executable, installing the package first if needed (into
 * a temporary directory that is then renamed, so concurrent test processes
 * never see half an install). Throws with the install command on failure.
 */
export async function npmTool(tool: NpmTool): Promise<string> {
  const dir = npmToolDir(tool);
  const bin = `${dir}/node_modules/.bin/${tool.bin}`;
  if (isFile(bin)) return bin;
  await Deno.mkdir(`${ROOT}/.tools/npm`, { recursive: true });
  const tmp = await Deno.makeTempDir({ dir: `${ROOT}/.tools/npm`, prefix: ".install-" });
  try {
    let out: Deno.CommandOutput;
    try {
      out = await new Deno.Command("npm", {
        args: ["install", "--prefix", tmp, "--no-save", "--no-audit", "--no-fund"].concat(
          `${tool.pkg}@${tool.version}`,
        ),
        stdin: "null",
        stdout: "piped",
        stderr: "piped",
        signal: AbortSignal.timeout(180_000),
      }).output();
    } catch (e) {
      const why = String(e);
      throw new Error(`cannot run npm (${why}); install ${tool.pkg} with:\n  ${hint(tool)}`);
    }
    if (!out.success) {
      throw new Error(
        `npm install ${tool.pkg}@${tool.version} failed (exit ${out.code}); install it with:\n  ` +
          `${hint(tool)}\n${new TextDecoder().decode(out.stderr)}`,
      );
    }
    await Deno.rename(tmp, dir).catch(() => {/* another process installed it first */});
  } finally {
    await Deno.remove(tmp, { recursive: true }).catch(() => null);
  }
  if (!isFile(bin)) throw new Error(`${tool.pkg} installed but ${bin} is missing`);
  return bin;
}

if (import.meta.main) {
  try {
    for (const tool of NPM_TOOLS) {
      console.log(`${tool.pkg}@${tool.version}: ${await npmTool(tool)}`);
    }
  } catch (e) {
    console.error(`error: ${e instanceof Error ? e.message : String(e)}`);
    Deno.exit(1);
  }
}
