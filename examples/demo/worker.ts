/** Demo worker: prints "tick N" every second (`TICK_MS` to change), forever. */

const every = Number(Deno.env.get("TICK_MS") ?? "1000");
let n = 0;
console.log("worker started");
setInterval(() => console.log(`tick ${++n}`), every);
