'use strict';
// A throw-away CA and a server certificate for the Kubernetes API stand-in, made with the
// openssl CLI. The member must verify TLS against a CA file exactly as it does in a real pod
// (/var/run/secrets/kubernetes.io/serviceaccount/ca.crt), so we never serve a cert it can skip.
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const SUBJECT_ALT_NAME = 'subjectAltName=IP:127.0.0.1,DNS:localhost,DNS:kubernetes.default.svc';

function openssl(args) {
  // stderr is piped so a failure's message ends up in the thrown error, not on the test output.
  execFileSync('openssl', args, { stdio: ['ignore', 'ignore', 'pipe'] });
}

function makeCerts(dir) {
  fs.mkdirSync(dir, { recursive: true });
  const file = (name) => path.join(dir, name);
  const result = { caFile: file('ca.crt'), certFile: file('server.crt'), keyFile: file('server.key') };
  // Reuse: generating RSA keys costs a noticeable fraction of a second per test run.
  if ([result.caFile, file('ca.key'), result.certFile, result.keyFile].every((f) => fs.existsSync(f))) {
    return result;
  }

  openssl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '7', '-subj', '/CN=shoal-kube-api-ca',
    '-keyout', file('ca.key'), '-out', result.caFile]);
  openssl(['req', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=kubernetes',
    '-keyout', result.keyFile, '-out', file('server.csr')]);
  // The SAN goes in via an extension file because `x509 -req` ignores extensions in the CSR.
  fs.writeFileSync(file('server.ext'), `${SUBJECT_ALT_NAME}\n`);
  openssl(['x509', '-req', '-in', file('server.csr'), '-CA', result.caFile, '-CAkey', file('ca.key'),
    '-CAcreateserial', '-days', '7', '-extfile', file('server.ext'), '-out', result.certFile]);
  return result;
}

module.exports = { makeCerts };
