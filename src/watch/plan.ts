/**
 * Pure planning of what to hand to `Deno.watchFs`: each glob's base directory
 * is watched recursively, except that subtrees holding an ignored directory
 * (`node_modules`, `.git`, ...) are split so the ignored directory is never
 * watched (it could hold most of the tree and exhaust the OS watch limit).
 * Directory listing is injected, so the planner is tested on a fake tree.
 */

/** An existing directory to watch, recursively or alone. */
export interface PlanInput {
  path: string;
  recursive: boolean;
}

/** The directories to watch, in the two shapes `Deno.watchFs` accepts. */
export interface WatchPlan {
  /** Watched with `recursive: true`: no ignored directory below them at planning time. */
  recursive: string[];
  /** Watched with `recursive: false`. */
  flat: string[];
  /** Flat directories that stand for a pruned recursive tree: a new subdirectory needs a re-plan. */
  expand: string[];
}

/** Whether `path` is `dir` or below it (both absolute, normalized). */
export function isWithin(path: string, dir: string): boolean {
  return path === dir || path.startsWith(dir === "/" ? "/" : dir + "/");
}

/**
 * Plans the watch of `inputs`. `listDirs(dir)` gives the absolute paths of
 * the subdirectories of `dir` (not following symlinks); `isIgnored(path)`
 * says whether a directory is ignored (it and everything below it).
 */
export function planWatch(
  inputs: PlanInput[],
  listDirs: (dir: string) => string[],
  isIgnored: (path: string) => boolean,
): WatchPlan {
  const recursive: string[] = [];
  const flat = new Set<string>();
  const expand = new Set<string>();

  const roots = [...new Set(inputs.filter((i) => i.recursive).map((i) => i.path))]
    .filter((p) => !isIgnored(p))
    .sort();
  const topRoots = roots.filter((p, i) => !roots.slice(0, i).some((q) => isWithin(p, q)));

  /** Returns true when nothing below `dir` is ignored; otherwise records the split. */
  const visit = (dir: string): boolean => {
    const clean: string[] = [];
    let pruned = false;
    for (const child of listDirs(dir)) {
      if (isIgnored(child)) pruned = true;
      else if (visit(child)) clean.push(child);
      else pruned = true;
    }
    if (!pruned) return true;
    flat.add(dir);
    expand.add(dir);
    recursive.push(...clean);
    return false;
  };
  for (const root of topRoots) {
    if (visit(root)) recursive.push(root);
  }

  for (const i of inputs) {
    if (!i.recursive && !isIgnored(i.path) && !recursive.some((r) => isWithin(i.path, r))) {
      flat.add(i.path);
    }
  }
  return { recursive: recursive.sort(), flat: [...flat].sort(), expand: [...expand].sort() };
}
