// Which proxy botocore uses for an STS endpoint URL, given the environment: the spec sheet for
// src/sts/resolve-sts-transport.ts. test/unit/sts-transport.test.ts checks swrole against the `proxy`
// column; test/interop/proxy-env-botocore.test.ts checks the column against botocore itself.
export interface ProxyEnvCase {
  name: string;
  env: Record<string, string>;
  url: string;
  /** The proxy URL botocore connects through, or null for a direct connection. */
  proxy: string | null;
}

const HTTPS = 'https://sts.eu-west-1.amazonaws.com';
const HTTP = 'http://sts.proxy-only.test:4566';
const P = 'http://proxy.example:3128';

export const PROXY_ENV_CASES: ProxyEnvCase[] = [
  { name: 'no proxy variables', env: {}, url: HTTPS, proxy: null },
  { name: 'HTTPS_PROXY for an https endpoint', env: { HTTPS_PROXY: P }, url: HTTPS, proxy: P },
  { name: 'HTTPS_PROXY does not apply to an http endpoint', env: { HTTPS_PROXY: P }, url: HTTP, proxy: null },
  { name: 'HTTP_PROXY for an http endpoint', env: { HTTP_PROXY: P }, url: HTTP, proxy: P },
  { name: 'HTTP_PROXY does not apply to an https endpoint', env: { HTTP_PROXY: P }, url: HTTPS, proxy: null },
  { name: 'ALL_PROXY is not used', env: { ALL_PROXY: P }, url: HTTPS, proxy: null },
  { name: 'https_proxy (lowercase) wins over HTTPS_PROXY', env: { HTTPS_PROXY: 'http://upper:1', https_proxy: P }, url: HTTPS, proxy: P },
  { name: 'lowercase wins whatever the order', env: { https_proxy: P, HTTPS_PROXY: 'http://upper:1' }, url: HTTPS, proxy: P },
  { name: 'an empty https_proxy removes HTTPS_PROXY', env: { HTTPS_PROXY: P, https_proxy: '' }, url: HTTPS, proxy: null },
  { name: 'an empty HTTPS_PROXY is unset', env: { HTTPS_PROXY: '' }, url: HTTPS, proxy: null },
  { name: 'a proxy without scheme gets http://', env: { HTTPS_PROXY: 'proxy.example:3128' }, url: HTTPS, proxy: P },
  { name: 'a scheme-relative proxy gets http:', env: { HTTPS_PROXY: '//proxy.example:3128' }, url: HTTPS, proxy: P },
  {
    name: 'an https:// proxy is kept',
    env: { HTTPS_PROXY: 'https://proxy.example:3129' },
    url: HTTPS,
    proxy: 'https://proxy.example:3129',
  },
  {
    name: 'credentials in the proxy URL are kept for the connection',
    env: { HTTPS_PROXY: 'http://u%40x:p%3Ass@proxy.example:3128' },
    url: HTTPS,
    proxy: 'http://u%40x:p%3Ass@proxy.example:3128',
  },
  { name: 'NO_PROXY names the host', env: { HTTPS_PROXY: P, NO_PROXY: 'sts.eu-west-1.amazonaws.com' }, url: HTTPS, proxy: null },
  { name: 'NO_PROXY domain suffix', env: { HTTPS_PROXY: P, NO_PROXY: 'amazonaws.com' }, url: HTTPS, proxy: null },
  { name: 'NO_PROXY leading dot ignored', env: { HTTPS_PROXY: P, NO_PROXY: '.amazonaws.com' }, url: HTTPS, proxy: null },
  { name: 'NO_PROXY suffix must end at a dot', env: { HTTPS_PROXY: P, NO_PROXY: 'zonaws.com' }, url: HTTPS, proxy: P },
  { name: 'NO_PROXY=* bypasses everything', env: { HTTPS_PROXY: P, NO_PROXY: '*' }, url: HTTPS, proxy: null },
  { name: 'NO_PROXY=" *" is not the wildcard', env: { HTTPS_PROXY: P, NO_PROXY: ' *' }, url: HTTPS, proxy: P },
  {
    name: 'NO_PROXY list with blanks and spaces',
    env: { HTTP_PROXY: P, NO_PROXY: 'a.example, ,  proxy-only.test ' },
    url: HTTP,
    proxy: null,
  },
  { name: 'NO_PROXY is case-insensitive', env: { HTTP_PROXY: P, NO_PROXY: 'STS.Proxy-Only.TEST' }, url: HTTP, proxy: null },
  { name: 'NO_PROXY host:port matches that port', env: { HTTP_PROXY: P, NO_PROXY: 'sts.proxy-only.test:4566' }, url: HTTP, proxy: null },
  { name: 'NO_PROXY host:port, another port', env: { HTTP_PROXY: P, NO_PROXY: 'sts.proxy-only.test:9999' }, url: HTTP, proxy: P },
  {
    name: 'no_proxy (lowercase) wins over NO_PROXY',
    env: { HTTPS_PROXY: P, NO_PROXY: 'amazonaws.com', no_proxy: 'other.example' },
    url: HTTPS,
    proxy: P,
  },
  {
    name: 'NO_PROXY with an IP endpoint',
    env: { HTTP_PROXY: P, NO_PROXY: 'localhost,127.0.0.1' },
    url: 'http://127.0.0.1:4566',
    proxy: null,
  },
  { name: 'under CGI, HTTP_PROXY is ignored', env: { REQUEST_METHOD: 'GET', HTTP_PROXY: P }, url: HTTP, proxy: null },
  { name: 'under CGI, http_proxy still counts', env: { REQUEST_METHOD: 'GET', http_proxy: P }, url: HTTP, proxy: P },
];
