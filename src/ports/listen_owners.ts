/**
 * Which process group owns each listening TCP socket, remembered across
 * samples. A listening socket keeps its inode and its owner until it closes
 * (then it leaves the listen table), so `status` needs the table (two small
 * files) and scans the fds of a group's processes only while some listening
 * socket is unexplained for that group: with 300 idle processes and no new
 * servers, a `status` reads no process's fds at all. A socket found in none of
 * the scanned groups (another program's) is remembered as such per group, so
 * a later group still gets scanned once. The table and the scan are
 * parameters (fakes in tests).
 */

/** Listening sockets now: inode -> port. */
export type ListenTable = Map<number, number>;

/** The socket inodes held by the processes of each given group: inode -> pgid. */
export type GroupScan = (pgids: ReadonlySet<number>) => Map<number, number>;

/** Owners of listening sockets, learned by scanning only the groups not yet checked. */
export class ListenOwners {
  /** inode -> the group holding it. */
  readonly #owner = new Map<number, number>();
  /** inode -> groups scanned that do not hold it. */
  readonly #notIn = new Map<number, Set<number>>();

  constructor(private readonly readTable: () => ListenTable, private readonly scan: GroupScan) {}

  /** The ports each of `pgids` listens on now, ascending (every asked group has an entry). */
  ports(pgids: ReadonlySet<number>): Map<number, number[]> {
    const table = this.readTable();
    for (const i of this.#owner.keys()) if (!table.has(i)) this.#owner.delete(i);
    for (const i of this.#notIn.keys()) if (!table.has(i)) this.#notIn.delete(i);
    const unchecked = new Set<number>();
    for (const i of table.keys()) {
      if (this.#owner.has(i)) continue;
      const checked = this.#notIn.get(i);
      for (const g of pgids) if (!checked?.has(g)) unchecked.add(g);
    }
    if (unchecked.size) {
      const found = this.scan(unchecked);
      for (const i of table.keys()) {
        if (this.#owner.has(i)) continue;
        const g = found.get(i);
        if (g !== undefined) {
          this.#owner.set(i, g);
          this.#notIn.delete(i);
          continue;
        }
        const checked = this.#notIn.get(i) ?? new Set<number>();
        for (const u of unchecked) checked.add(u);
        this.#notIn.set(i, checked);
      }
    }
    const out = new Map<number, number[]>();
    for (const g of pgids) out.set(g, []);
    for (const [i, g] of this.#owner) out.get(g)?.push(table.get(i)!);
    for (const ports of out.values()) ports.sort((a, b) => a - b);
    return out;
  }
}
