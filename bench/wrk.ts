/**
 * Shared helpers of the HTTP benchmarks (proxy, injection): finding a tool,
 * a free loopback port, and running `wrk` (one thread) for requests/s and
 * the 50th-percentile latency. Any non-2xx/3xx response or socket error
 * fails the measurement rather than skewing it.
 */

/** One wrk measurement. */
export interface WrkResult {
  rps: number;
  p50Ms: number;
}

/** Absolute path of `cmd` on PATH (or in /usr/sbin, /usr/bin), or null. */
export function which(cmd: string): string | null {
  for (const dir of (Deno.env.get("PATH") ?? "").split(":").concat(["/usr/sbin", "/usr/bin"])) {
    try {
      if (Deno.statSync(`${dir}/${cmd}`).isFile) return `${dir}/${cmd}`;
    } catch { /* not here */ }
  }
  return null;
}

/** A port nothing listens on now (on 127.0.0.1). */
export function freePort(): number {
  const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = l.addr.port;
  l.close();
  return port;
}

/** A wrk latency (`812.00us`, `1.20ms`, `2s`) in ms. */
function toMs(value: string): number {
  const m = /^([\d.]+)(us|ms|s)$/.exec(value);
  if (!m) throw new Error(`cannot parse wrk latency ${JSON.stringify(value)}`);
  const n = Number(m[1]);
  return m[2] === "us" ? n / 1000 : m[2] === "ms" ? n : n * 1000;
}

/** Runs wrk (1 thread) with extra `headers` and parses requests/s and the p50 latency. */
export async function wrk(
  url: string,
  headers: string[],
  connections: number,
  seconds: number,
): Promise<WrkResult> {
  const out = await new Deno.Command("wrk", {
    args: [
      "-t1",
      `-c${connections}`,
      `-d${seconds}s`,
      "--latency",
      ...headers.flatMap((h) => ["-H", h]),
      url,
    ],
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = new TextDecoder().decode(out.stdout);
  const rps = /Requests\/sec:\s+([\d.]+)/.exec(text);
  const p50 = /^\s+50%\s+(\S+)/m.exec(text);
  if (!out.success || !rps || !p50) {
    throw new Error(`wrk failed: ${text}${new TextDecoder().decode(out.stderr)}`);
  }
  if (/Non-2xx or 3xx responses|Socket errors/.test(text)) {
    throw new Error(`wrk saw errors for ${url}: ${text}`);
  }
  return { rps: Number(rps[1]), p50Ms: toMs(p50[1]) };
}

/**
 * An nginx config (one worker, no access log, temp paths under `prefix`) whose
 * `http` block holds `httpBody`; writes it to `prefix/nginx.conf` and returns
 * the arguments to start nginx in the foreground with it.
 */
export async function nginxConfig(prefix: string, httpBody: string): Promise<string[]> {
  await Deno.mkdir(`${prefix}/logs`, { recursive: true });
  const conf = `${prefix}/nginx.conf`;
  await Deno.writeTextFile(
    conf,
    `${Deno.uid() === 0 ? "user root;\n" : ""}worker_processes 1;
pid ${prefix}/nginx.pid;
error_log ${prefix}/logs/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path ${prefix}/body; proxy_temp_path ${prefix}/proxy;
  fastcgi_temp_path ${prefix}/fastcgi; uwsgi_temp_path ${prefix}/uwsgi; scgi_temp_path ${prefix}/scgi;
  ${httpBody}
}
`,
  );
  return ["-p", prefix, "-c", conf, "-g", "daemon off;"];
}
