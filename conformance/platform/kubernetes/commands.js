'use strict';
// The helm and kubectl command lines of the kubernetes driver, as pure functions (argv arrays),
// so what the driver would run on a real cluster is unit-tested here (commands.test.js).
const path = require('node:path');

const REPO = path.resolve(__dirname, '..', '..', '..');
const CHART = path.join(REPO, 'charts', 'shoal');

function valuesArgs({ values = [], set = [], setJson = [] } = {}) {
  const args = [];
  for (const f of values) args.push('-f', path.isAbsolute(f) ? f : path.join(REPO, f));
  for (const s of set) args.push('--set', s);
  for (const s of setJson) args.push('--set-json', s);
  return args;
}

// The image under test (SHOAL_IMAGE=repository:tag, e.g. one loaded with `kind load`), for the
// member and for the sidecar app; a scenario's own --set values come after and win.
function imageArgs(image) {
  if (!image) return [];
  const at = image.lastIndexOf(':');
  const [repository, tag] = at > image.lastIndexOf('/') ? [image.slice(0, at), image.slice(at + 1)] : [image, ''];
  const args = ['--set', `image.repository=${repository}`, '--set', 'image.pullPolicy=IfNotPresent'];
  if (tag) args.push('--set', `image.tag=${tag}`);
  return args;
}

const helm = {
  install: (release, namespace, options, image) =>
    ['install', release, CHART, '--namespace', namespace, ...imageArgs(image), ...valuesArgs(options)],
  // --reset-values: the values given are the release's values, as the local driver has them.
  upgrade: (release, namespace, options, image) =>
    ['upgrade', release, CHART, '--namespace', namespace, '--reset-values', ...imageArgs(image), ...valuesArgs(options)],
  uninstall: (release, namespace) => ['uninstall', release, '--namespace', namespace, '--wait'],
  test: (release, namespace, timeoutSeconds = 300) =>
    ['test', release, '--namespace', namespace, '--logs', '--timeout', `${timeoutSeconds}s`],
};

const instance = (release) => `app.kubernetes.io/instance=${release}`;

const kubectl = {
  createNamespace: (namespace) => ['create', 'namespace', namespace],
  deleteNamespace: (namespace) => ['delete', 'namespace', namespace, '--wait=false', '--ignore-not-found'],
  pods: (namespace, release) => ['get', 'pods', '--namespace', namespace, ...(release ? ['-l', instance(release)] : []), '-o', 'json'],
  nodes: () => ['get', 'nodes', '-o', 'json'],
  workloads: (namespace, release) => ['get', 'statefulsets,deployments', '--namespace', namespace, '-l', instance(release), '-o', 'json'],
  // graceSeconds 0: SIGKILL now, without waiting for the kubelet's confirmation; otherwise
  // SIGTERM, the grace period (the pod's own when undefined), SIGKILL, and wait for it to be gone.
  deletePod: (namespace, pod, graceSeconds) => (graceSeconds === 0
    ? ['delete', 'pod', pod, '--namespace', namespace, '--grace-period=0', '--force', '--wait=false']
    : ['delete', 'pod', pod, '--namespace', namespace, ...(graceSeconds === undefined ? [] : [`--grace-period=${graceSeconds}`]), '--wait=true']),
  cordon: (node) => ['cordon', node],
  uncordon: (node) => ['uncordon', node],
  // A node's failure: every pod on it, SIGKILLed (the node is cordoned first so none come back).
  deletePodsOnNode: (namespace, node) =>
    ['delete', 'pods', '--namespace', namespace, '--field-selector', `spec.nodeName=${node}`, '--grace-period=0', '--force', '--wait=false'],
  logs: (namespace, pod, container) => ['logs', pod, '--namespace', namespace, ...(container ? ['-c', container] : [])],
  // ":port": kubectl picks a free local port and prints "Forwarding from 127.0.0.1:N -> port".
  portForward: (namespace, pod, port) => ['port-forward', '--namespace', namespace, `pod/${pod}`, `:${port}`, '--address', '127.0.0.1'],
  // A lost volume: the claim is deleted (it goes once its pod is), then the pod; the StatefulSet
  // re-creates both, the claim empty.
  deleteClaim: (namespace, claim) => ['delete', 'pvc', claim, '--namespace', namespace, '--wait=false'],
};

// "Forwarding from 127.0.0.1:40123 -> 5701" -> "127.0.0.1:40123"
function forwardedEndpoint(output) {
  const m = /Forwarding from (127\.0\.0\.1|\[::1\]):(\d+) ->/.exec(output);
  return m ? `127.0.0.1:${m[2]}` : null;
}

module.exports = { helm, kubectl, valuesArgs, imageArgs, forwardedEndpoint, CHART, REPO };
