/**
 * `export --format compose|kubernetes|systemd [-o DIR]`: turn the stack
 * (agent-procs.yaml, or any format `up` reads) into files for another
 * engine. The builders are pure (`config/formats/out/`); this operation
 * loads the stack, checks images for Kubernetes, serializes with the `yaml`
 * package (loaded here, never on the hot path) and writes the files into
 * DIR, or returns their text.
 */

import { CliError } from "../errors.ts";
import type { OpContext } from "./context.ts";
import type { OptionValues } from "./convert.ts";
import { EXPORT_FORMATS, type EXPORT_OPTIONS } from "./options.ts";
import { resolvePath } from "./run.ts";
import { loadStack } from "./up.ts";
import type { ConfigWarning } from "../config/formats/format_warning.ts";

/** Input of `export`. */
export type ExportInput = OptionValues<typeof EXPORT_OPTIONS>;

/** One generated file: its name, where it was written (null when not), and its text. */
export interface ExportedFile {
  name: string;
  path: string | null;
  text: string;
}

/** Result of `export`. */
export interface ExportResult {
  format: (typeof EXPORT_FORMATS)[number];
  files: ExportedFile[];
  /** What the target cannot express (each also a comment in the files). */
  warnings: string[];
  /** What the config's import could not map (a Procfile, ...). */
  importWarnings: ConfigWarning[];
}

/** Builds (and with `output`, writes) the files. */
export async function exportStack(input: ExportInput, ctx: OpContext): Promise<ExportResult> {
  const format = input.format;
  if (!format) {
    throw new CliError(`--format is required (${EXPORT_FORMATS.join(", ")})`);
  }
  const stack = await loadStack(input.config, ctx);
  const { exportModel } = await import("../config/formats/out/model.ts");
  const dir = input.output === undefined ? null : resolvePath(ctx.cwd, input.output);
  const model = exportModel(stack.config);
  let out;
  if (format === "compose") {
    const { exportCompose } = await import("../config/formats/out/compose.ts");
    out = exportCompose(model, dir ?? resolvePath(ctx.cwd, "."), input.image);
  } else if (format === "kubernetes") {
    const k = await import("../config/formats/out/kubernetes.ts");
    const missing = k.missingImages(model, input.image);
    if (missing.length) {
      throw new CliError(`kubernetes needs a container image for: ${missing.join(", ")}`, {
        hint: "add image: to those processes in the config, or pass --image IMG",
      });
    }
    out = k.exportKubernetes(model, input.image);
  } else {
    const { exportSystemd } = await import("../config/formats/out/systemd.ts");
    out = exportSystemd(model);
  }
  const y = await import("yaml");
  const { serialize } = await import("../config/formats/out/serialize.ts");
  if (dir) await Deno.mkdir(dir, { recursive: true });
  const files: ExportedFile[] = [];
  for (const f of out.files) {
    const text = serialize(y, f);
    const path = dir ? `${dir}/${f.name}` : null;
    if (path) await Deno.writeTextFile(path, text);
    files.push({ name: f.name, path, text });
  }
  return { format, files, warnings: out.warnings, importWarnings: stack.warnings };
}
