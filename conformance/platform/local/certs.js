'use strict';
// A throw-away certificate authority and a server certificate for the Kubernetes API stand-in,
// made with the openssl CLI, so members verify TLS exactly as they do against a real API server.
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

function openssl(args) {
  execFileSync('openssl', args, { stdio: ['ignore', 'ignore', 'pipe'] });
}

function makeCerts(dir, host) {
  fs.mkdirSync(dir, { recursive: true });
  const file = (name) => path.join(dir, name);
  if (!fs.existsSync(file('server.crt'))) {
    openssl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=shoal-test-ca',
      '-keyout', file('ca.key'), '-out', file('ca.crt')]);
    openssl(['req', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=kubernetes', '-keyout', file('server.key'),
      '-out', file('server.csr')]);
    fs.writeFileSync(file('san.ext'),
      `subjectAltName=IP:${host},IP:127.0.0.1,DNS:localhost,DNS:kubernetes.default.svc\n`);
    openssl(['x509', '-req', '-in', file('server.csr'), '-CA', file('ca.crt'), '-CAkey', file('ca.key'),
      '-CAcreateserial', '-days', '2', '-extfile', file('san.ext'), '-out', file('server.crt')]);
  }
  return { caFile: file('ca.crt'), certFile: file('server.crt'), keyFile: file('server.key') };
}

module.exports = { makeCerts };
