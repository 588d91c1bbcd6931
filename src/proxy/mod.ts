/**
 * The session proxy's public API, re-exported for the daemon. The CLI should
 * import `router.ts` directly for `validateProxyName`/`proxyUrl` (it has no
 * imports of its own, so it costs nothing at start-up).
 */

export { type ProxyHandle, type ProxyOptions, ProxyStartError, startProxy } from "./server.ts";
export { proxyUrl, type Route, type RouteDecision, routeFor, validateProxyName } from "./router.ts";
export {
  allocatePort,
  APP_PORT_RANGE,
  explicitPortError,
  isPortFree,
  PROXY_PORT_RANGE,
} from "./ports.ts";
export { ROUTES_JSON_PATH, type RoutesJson } from "./pages.ts";
export {
  BROWSER_LEVELS,
  type BrowserLevel,
  type BrowserLine,
  type BrowserSink,
} from "./browser_line.ts";
