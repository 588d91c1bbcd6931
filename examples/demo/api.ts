/**
 * Demo API server: answers JSON on `PORT` (injected by agent-procs from the
 * config's `port:`) and prints "listening on PORT" once it accepts requests.
 */

const port = Number(Deno.env.get("PORT") ?? "5310");
const hostname = Deno.env.get("HOST") ?? "127.0.0.1";
const greeting = Deno.env.get("GREETING") ?? "hello";
let served = 0;

Deno.serve({ port, hostname, onListen: () => console.log(`listening on ${port}`) }, (req) => {
  const path = new URL(req.url).pathname;
  if (path === "/health") return Response.json({ ok: true });
  served++;
  console.log(`GET ${path} (#${served})`);
  return Response.json({ service: "api", greeting, served, time: new Date().toISOString() });
});
