'use strict';
// What the kubernetes driver would run on a real cluster: its helm and kubectl command lines.
const test = require('node:test');
const assert = require('node:assert/strict');
const path = require('node:path');
const { helm, kubectl, imageArgs, forwardedEndpoint, CHART, REPO } = require('./commands');

test('helm install passes the values files (from the repository), --set and --set-json in order, after the image', () => {
  assert.deepEqual(helm.install('r', 'ns', { values: ['values-examples/zone-a.yaml'], set: ['zoneAware.zone=zone-a'], setJson: ['podLabels={"a":"b"}'] }, 'shoal/member:dev'), [
    'install', 'r', CHART, '--namespace', 'ns',
    '--set', 'image.repository=shoal/member', '--set', 'image.pullPolicy=IfNotPresent', '--set', 'image.tag=dev',
    '-f', path.join(REPO, 'values-examples/zone-a.yaml'), '--set', 'zoneAware.zone=zone-a', '--set-json', 'podLabels={"a":"b"}',
  ]);
});

test('helm upgrade resets the values to the ones given, as the local driver does', () => {
  const args = helm.upgrade('r', 'ns', { set: ['cluster.memberCount=6'] }, '');
  assert.deepEqual(args, ['upgrade', 'r', CHART, '--namespace', 'ns', '--reset-values', '--set', 'cluster.memberCount=6']);
});

test('helm uninstall waits; helm test prints the test pod logs', () => {
  assert.deepEqual(helm.uninstall('r', 'ns'), ['uninstall', 'r', '--namespace', 'ns', '--wait']);
  assert.deepEqual(helm.test('r', 'ns', 120), ['test', 'r', '--namespace', 'ns', '--logs', '--timeout', '120s']);
});

test('an image with a registry port keeps it in the repository', () => {
  assert.deepEqual(imageArgs('localhost:5000/shoal/member:1.2'),
    ['--set', 'image.repository=localhost:5000/shoal/member', '--set', 'image.pullPolicy=IfNotPresent', '--set', 'image.tag=1.2']);
  assert.deepEqual(imageArgs('localhost:5000/shoal/member'),
    ['--set', 'image.repository=localhost:5000/shoal/member', '--set', 'image.pullPolicy=IfNotPresent']);
  assert.deepEqual(imageArgs(''), []);
});

test('pod kill: SIGKILL is --grace-period=0 --force without waiting; graceful waits for the pod to be gone', () => {
  assert.deepEqual(kubectl.deletePod('ns', 'p-1', 0), ['delete', 'pod', 'p-1', '--namespace', 'ns', '--grace-period=0', '--force', '--wait=false']);
  assert.deepEqual(kubectl.deletePod('ns', 'p-1', 30), ['delete', 'pod', 'p-1', '--namespace', 'ns', '--grace-period=30', '--wait=true']);
  assert.deepEqual(kubectl.deletePod('ns', 'p-1'), ['delete', 'pod', 'p-1', '--namespace', 'ns', '--wait=true']);
});

test('node kill: cordon, then force-delete every pod of the namespace on that node', () => {
  assert.deepEqual(kubectl.cordon('kind-worker2'), ['cordon', 'kind-worker2']);
  assert.deepEqual(kubectl.deletePodsOnNode('ns', 'kind-worker2'),
    ['delete', 'pods', '--namespace', 'ns', '--field-selector', 'spec.nodeName=kind-worker2', '--grace-period=0', '--force', '--wait=false']);
  assert.deepEqual(kubectl.uncordon('kind-worker2'), ['uncordon', 'kind-worker2']);
});

test('pods and workloads are selected by the release instance label', () => {
  assert.deepEqual(kubectl.pods('ns', 'r'), ['get', 'pods', '--namespace', 'ns', '-l', 'app.kubernetes.io/instance=r', '-o', 'json']);
  assert.deepEqual(kubectl.pods('ns'), ['get', 'pods', '--namespace', 'ns', '-o', 'json']);
  assert.deepEqual(kubectl.workloads('ns', 'r'), ['get', 'statefulsets,deployments', '--namespace', 'ns', '-l', 'app.kubernetes.io/instance=r', '-o', 'json']);
});

test('port-forward asks for a free local port and the endpoint is read from its output', () => {
  assert.deepEqual(kubectl.portForward('ns', 'p-0', 5701), ['port-forward', '--namespace', 'ns', 'pod/p-0', ':5701', '--address', '127.0.0.1']);
  assert.equal(forwardedEndpoint('Forwarding from 127.0.0.1:40123 -> 5701\n'), '127.0.0.1:40123');
  assert.equal(forwardedEndpoint('Forwarding from [::1]:40123 -> 5701\n'), '127.0.0.1:40123');
  assert.equal(forwardedEndpoint('error: unable to forward'), null);
});

test('logs of one container; a lost volume deletes the claim the StatefulSet names persistence-<pod>', () => {
  assert.deepEqual(kubectl.logs('ns', 'p-0', 'member'), ['logs', 'p-0', '--namespace', 'ns', '-c', 'member']);
  assert.deepEqual(kubectl.deleteClaim('ns', 'persistence-p-0'), ['delete', 'pvc', 'persistence-p-0', '--namespace', 'ns', '--wait=false']);
});
