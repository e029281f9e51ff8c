/**
 * How swrole reaches the STS endpoint: through which proxy, trusting which CA bundle (issue 9 §6). PURE and
 * total: it never throws; the gateway validates what it uses (sdk-gateway.ts), so a bad proxy variable costs
 * nothing on a path that never calls STS.
 *
 * botocore is the model (EndpointCreator.create_endpoint):
 * - proxies: `get_environ_proxies(url)` = Python's `getproxies_environment()` unless
 *   `proxy_bypass_environment(netloc)`; then `ProxyConfiguration.proxy_url_for(url)` picks the entry for the
 *   endpoint's scheme (HTTPS_PROXY for https, HTTP_PROXY for http; no ALL_PROXY) and adds `http://` to a
 *   proxy written without a scheme;
 * - CA bundle: the `ca_bundle` session variable (env AWS_CA_BUNDLE, else the profile's `ca_bundle`), else
 *   REQUESTS_CA_BUNDLE (`_get_verify_value`). One deviation: botocore turns an empty AWS_CA_BUNDLE into
 *   "do not verify"; swrole treats empty as unset and always verifies.
 */
export interface ProxyChoice {
  /** The proxy URL as configured (scheme added), credentials included: for the connection only, never print it. */
  url: string;
  /** scheme://host:port, without credentials: safe for messages and --debug. */
  display: string;
  /** The variable it came from (`HTTPS_PROXY`, `https_proxy`, ...). */
  from: string;
}

export interface CaBundleChoice {
  path: string;
  from: 'AWS_CA_BUNDLE' | 'ca_bundle' | 'REQUESTS_CA_BUNDLE';
}

export interface StsTransport {
  proxy: ProxyChoice | null;
  caBundle: CaBundleChoice | null;
}

export interface StsTransportInput {
  env: Readonly<Record<string, string | undefined>>;
  /** The STS endpoint URL (resolve-sts-endpoint.ts). */
  endpointUrl: string;
  /** The selected profile's `ca_bundle`. */
  profileCaBundle?: string | undefined;
}

interface Entry {
  value: string;
  from: string;
}

/**
 * Python's `getproxies_environment()`: every `<scheme>_proxy` variable, any case; then a second pass in
 * which names ending in lowercase `_proxy` win, an empty one removing the scheme. Under CGI
 * (`REQUEST_METHOD` set) an HTTP_PROXY not spelt in lowercase is dropped (CVE-2016-1000110).
 */
export function readProxyEnvironment(env: StsTransportInput['env']): Map<string, Entry> {
  const proxies = new Map<string, Entry>();
  const entries = Object.entries(env).filter((e): e is [string, string] => e[1] !== undefined);
  for (const [name, value] of entries) {
    if (value && name.toLowerCase().endsWith('_proxy')) proxies.set(name.slice(0, -6).toLowerCase(), { value, from: name });
  }
  if (env.REQUEST_METHOD !== undefined) proxies.delete('http');
  for (const [name, value] of entries) {
    if (!name.endsWith('_proxy')) continue;
    const scheme = name.slice(0, -6).toLowerCase();
    if (value) proxies.set(scheme, { value, from: name });
    else proxies.delete(scheme);
  }
  return proxies;
}

/** The host part of Python's `_splitport` (`(.*):([0-9]*)` matched whole; an empty port still drops the colon). */
function splitPort(hostport: string): string {
  return /^(.*):([0-9]*)$/s.exec(hostport)?.[1] ?? hostport;
}

/** Python's `proxy_bypass_environment(netloc)`: NO_PROXY entries are DNS suffixes (leading dots ignored), `*` is all. */
export function bypassesProxy(netloc: string, noProxy: string | undefined): boolean {
  if (noProxy === undefined) return false;
  if (noProxy === '*') return true;
  const host = netloc.toLowerCase();
  const hostOnly = splitPort(host);
  for (const raw of noProxy.split(',')) {
    const name = raw.trim().replace(/^\.+/, '').toLowerCase();
    if (!name) continue;
    if (hostOnly === name || host === name) return true;
    if (hostOnly.endsWith(`.${name}`) || host.endsWith(`.${name}`)) return true;
  }
  return false;
}

/** The netloc as Python's urlparse gives it (userinfo included, case kept). */
function netlocOf(url: string): string {
  const match = /^[a-z][a-z0-9+.-]*:\/\/([^/?#]*)/i.exec(url);
  return match ? match[1]! : '';
}

function schemeOf(url: string): string {
  return (/^([a-z][a-z0-9+.-]*):/i.exec(url)?.[1] ?? '').toLowerCase();
}

/** botocore's `_fix_proxy_url`. */
function withScheme(proxy: string): string {
  if (proxy.startsWith('http:') || proxy.startsWith('https:')) return proxy;
  if (proxy.startsWith('//')) return `http:${proxy}`;
  return `http://${proxy}`;
}

/** scheme://host[:port] of a proxy URL, never its credentials; the variable name when it does not parse. */
export function displayProxy(url: string, from: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}`;
  } catch {
    return `(the proxy URL in ${from})`;
  }
}

export function resolveProxy(env: StsTransportInput['env'], endpointUrl: string): ProxyChoice | null {
  const proxies = readProxyEnvironment(env);
  if (bypassesProxy(netlocOf(endpointUrl), proxies.get('no')?.value)) return null;
  const entry = proxies.get(schemeOf(endpointUrl));
  if (!entry) return null;
  const url = withScheme(entry.value);
  return { url, display: displayProxy(url, entry.from), from: entry.from };
}

export function resolveCaBundle(env: StsTransportInput['env'], profileCaBundle: string | undefined): CaBundleChoice | null {
  const ladder: Array<[string | undefined, CaBundleChoice['from']]> = [
    [env.AWS_CA_BUNDLE, 'AWS_CA_BUNDLE'],
    [profileCaBundle, 'ca_bundle'],
    [env.REQUESTS_CA_BUNDLE, 'REQUESTS_CA_BUNDLE'],
  ];
  for (const [value, from] of ladder) if (value !== undefined && value.trim() !== '') return { path: value.trim(), from };
  return null;
}

export function resolveStsTransport(input: StsTransportInput): StsTransport {
  return { proxy: resolveProxy(input.env, input.endpointUrl), caBundle: resolveCaBundle(input.env, input.profileCaBundle) };
}
