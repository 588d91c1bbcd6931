/**
 * Demo web server: depends on the API (`API_URL`), calls it on every request
 * and shows the answer as a small HTML page; `/health` is its readiness probe.
 */

const port = Number(Deno.env.get("PORT") ?? "5311");
const hostname = Deno.env.get("HOST") ?? "127.0.0.1";
const api = Deno.env.get("API_URL") ?? "http://127.0.0.1:5310";

Deno.serve(
  { port, hostname, onListen: () => console.log(`web on http://${hostname}:${port}`) },
  async (req) => {
    if (new URL(req.url).pathname === "/health") return new Response("ok");
    try {
      const data = await (await fetch(`${api}/`)).json();
      const html = `<h1>agent-procs demo</h1><pre>${JSON.stringify(data, null, 2)}</pre>`;
      return new Response(html, { headers: { "content-type": "text/html; charset=utf-8" } });
    } catch (e) {
      console.error(`api call failed: ${e}`);
      return new Response(`api unreachable: ${e}`, { status: 502 });
    }
  },
);
