// A self-signed certificate made at test time with the openssl CLI, for the emulator's TLS listener.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface TestCert {
  key: string;
  cert: string;
  /** The certificate alone, as a CA bundle file (it signs itself). */
  certFile: string;
}

export function makeSelfSignedCert(dir: string, hostname: string, tag: string): TestCert {
  const keyFile = join(dir, `${tag}-key.pem`);
  const certFile = join(dir, `${tag}-cert.pem`);
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-keyout',
      keyFile,
      '-out',
      certFile,
      '-days',
      '2',
      '-subj',
      `/CN=${hostname}`,
      '-addext',
      `subjectAltName=DNS:${hostname}`,
    ],
    { stdio: 'ignore' },
  );
  return { key: readFileSync(keyFile, 'utf8'), cert: readFileSync(certFile, 'utf8'), certFile };
}
