'use strict';
// Tests for the Kubernetes API stand-in, over real HTTPS verified against the generated CA.
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const https = require('node:https');
const os = require('node:os');
const path = require('node:path');
const { startKubeApi, parseLabelSelector } = require('./server');

let api;
let ca;
let token;

before(async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kube-api-test-'));
  api = await startKubeApi({ dir, token: 'test-token' });
  ca = fs.readFileSync(api.caFile);
  token = fs.readFileSync(api.tokenFile, 'utf8');

  api.upsertNode({ name: 'node-a', labels: { 'topology.kubernetes.io/zone': 'zone-a' } });
  api.upsertNode({ name: 'node-b', labels: { 'topology.kubernetes.io/zone': 'zone-b' } });
  const labels = { app: 'shoal', tier: 'grid' };
  api.upsertPod({ name: 'shoal-0', ip: '10.0.0.10', labels, nodeName: 'node-a' });
  api.upsertPod({ name: 'shoal-1', ip: '10.0.0.11', labels, nodeName: 'node-b', ready: false });
  api.upsertPod({ name: 'other', ip: '10.0.0.99', labels: { app: 'other' }, nodeName: 'node-a' });
  api.upsertPod({ namespace: 'elsewhere', name: 'shoal-x', ip: '10.0.1.1', labels, nodeName: 'node-a' });
  api.upsertService({ name: 'shoal', labels: { app: 'shoal', team: 'grid' }, selector: { app: 'shoal' } });
  api.upsertStatefulSet({ name: 'shoal', replicas: 2, readyReplicas: 1, currentReplicas: 2 });
});

after(() => api.close());

// GET over HTTPS with the CA (verification stays on) and, unless told otherwise, the token.
function get(pathAndQuery, { auth = true } = {}) {
  return new Promise((resolve, reject) => {
    const headers = auth ? { Authorization: `Bearer ${token}` } : {};
    const req = https.request(`${api.url}${pathAndQuery}`, { ca, headers, agent: false }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => { text += chunk; });
      res.on('end', () => resolve({ status: res.statusCode, body: JSON.parse(text) }));
    });
    req.on('error', reject);
    req.end();
  });
}

// Opens a watch and resolves each call to next() with the following event.
function openWatch(pathAndQuery) {
  const events = [];
  const waiters = [];
  let buffered = '';
  const req = https.request(`${api.url}${pathAndQuery}`,
    { ca, headers: { Authorization: `Bearer ${token}` }, agent: false });
  const ready = new Promise((resolve, reject) => {
    req.on('error', reject);
    req.on('response', (res) => {
      assert.equal(res.statusCode, 200);
      res.setEncoding('utf8');
      res.on('data', (chunk) => {
        buffered += chunk;
        let newline;
        while ((newline = buffered.indexOf('\n')) >= 0) {
          events.push(JSON.parse(buffered.slice(0, newline)));
          buffered = buffered.slice(newline + 1);
          while (waiters.length && events.length) waiters.shift()(events.shift());
        }
      });
      resolve();
    });
  });
  req.end();
  return {
    ready,
    next: () => (events.length ? Promise.resolve(events.shift()) : new Promise((resolve) => waiters.push(resolve))),
    close: () => req.destroy(),
  };
}

function assertStatus(response, code, reason) {
  assert.equal(response.status, code);
  assert.equal(response.body.kind, 'Status');
  assert.equal(response.body.apiVersion, 'v1');
  assert.equal(response.body.status, 'Failure');
  assert.equal(response.body.reason, reason);
  assert.equal(response.body.code, code);
  assert.equal(typeof response.body.message, 'string');
}

test('service-account files are written like a pod sees them', () => {
  assert.equal(token, 'test-token');
  assert.equal(fs.readFileSync(api.namespaceFile, 'utf8'), 'default');
  assert.match(api.url, /^https:\/\/127\.0\.0\.1:\d+$/);
});

test('a request without the bearer token gets 401 Unauthorized', async () => {
  const response = await get('/api/v1/namespaces/default/pods', { auth: false });
  assertStatus(response, 401, 'Unauthorized');
  assert.equal(response.body.message, 'Unauthorized');
});

test('the certificate does not verify without the CA', async () => {
  await assert.rejects(new Promise((resolve, reject) => {
    https.get(`${api.url}/api/v1/nodes/node-a`, { agent: false }, resolve).on('error', reject);
  }), /self[- ]signed|unable to (get|verify)/i);
});

test('pods are listed by label selector', async () => {
  const { status, body } = await get('/api/v1/namespaces/default/pods?labelSelector=app%3Dshoal,tier%3Dgrid');
  assert.equal(status, 200);
  assert.equal(body.kind, 'PodList');
  assert.equal(body.apiVersion, 'v1');
  assert.match(body.metadata.resourceVersion, /^\d+$/);
  assert.deepEqual(body.items.map((p) => p.metadata.name), ['shoal-0', 'shoal-1']);
  const [pod] = body.items;
  assert.equal(pod.metadata.namespace, 'default');
  assert.deepEqual(pod.metadata.labels, { app: 'shoal', tier: 'grid' });
  assert.ok(pod.metadata.uid);
  assert.equal(pod.spec.nodeName, 'node-a');
  assert.equal(pod.status.podIP, '10.0.0.10');
  assert.deepEqual(pod.status.podIPs, [{ ip: '10.0.0.10' }]);
  assert.equal(pod.status.phase, 'Running');
  assert.deepEqual(pod.status.conditions, [{ type: 'Ready', status: 'True' }]);
  assert.deepEqual(body.items[1].status.conditions, [{ type: 'Ready', status: 'False' }]);
});

test('pods list without a selector returns every pod in the namespace only', async () => {
  const { body } = await get('/api/v1/namespaces/default/pods');
  assert.deepEqual(body.items.map((p) => p.metadata.name), ['other', 'shoal-0', 'shoal-1']);
});

test('a single pod is served, a missing one is 404 NotFound', async () => {
  const found = await get('/api/v1/namespaces/default/pods/shoal-0');
  assert.equal(found.status, 200);
  assert.equal(found.body.kind, 'Pod');
  assert.equal(found.body.apiVersion, 'v1');
  const missing = await get('/api/v1/namespaces/default/pods/nope');
  assertStatus(missing, 404, 'NotFound');
  assert.equal(missing.body.message, 'pods "nope" not found');
});

test('a malformed label selector is 400 BadRequest', async () => {
  assertStatus(await get('/api/v1/namespaces/default/pods?labelSelector=app%3D%3D%3Dx'), 400, 'BadRequest');
  assertStatus(await get('/api/v1/namespaces/default/pods?labelSelector=%3Dshoal'), 400, 'BadRequest');
});

test('label selectors support the set-based and inequality forms', () => {
  const labels = { app: 'shoal', tier: 'grid' };
  assert.ok(parseLabelSelector('app in (shoal,other),tier')(labels));
  assert.ok(!parseLabelSelector('app notin (shoal)')(labels));
  assert.ok(parseLabelSelector('app!=other,!zone')(labels));
  assert.ok(parseLabelSelector('kubernetes.io/service-name=shoal')({ 'kubernetes.io/service-name': 'shoal' }));
});

test('node labels are served', async () => {
  const { status, body } = await get('/api/v1/nodes/node-b');
  assert.equal(status, 200);
  assert.equal(body.kind, 'Node');
  assert.equal(body.metadata.name, 'node-b');
  assert.equal(body.metadata.labels['topology.kubernetes.io/zone'], 'zone-b');
  assertStatus(await get('/api/v1/nodes/node-z'), 404, 'NotFound');
});

test('endpoints are derived from the service selector: ready vs notReady', async () => {
  const { status, body } = await get('/api/v1/namespaces/default/endpoints/shoal');
  assert.equal(status, 200);
  assert.equal(body.kind, 'Endpoints');
  assert.deepEqual(body.subsets.length, 1);
  const [subset] = body.subsets;
  assert.deepEqual(subset.addresses.map(({ ip, nodeName, targetRef }) => ({ ip, nodeName, name: targetRef.name, kind: targetRef.kind })),
    [{ ip: '10.0.0.10', nodeName: 'node-a', name: 'shoal-0', kind: 'Pod' }]);
  assert.deepEqual(subset.notReadyAddresses.map((a) => a.ip), ['10.0.0.11']);
  assert.equal(subset.notReadyAddresses[0].targetRef.namespace, 'default');
  assert.deepEqual(subset.ports, [{ name: 'hazelcast', port: 5701, protocol: 'TCP' }]);

  const list = await get('/api/v1/namespaces/default/endpoints?labelSelector=team%3Dgrid');
  assert.equal(list.body.kind, 'EndpointsList');
  assert.deepEqual(list.body.items.map((e) => e.metadata.name), ['shoal']);
  const none = await get('/api/v1/namespaces/default/endpoints?labelSelector=team%3Dnobody');
  assert.deepEqual(none.body.items, []);
});

test('endpointslices are derived from pods and found by service name or service labels', async () => {
  for (const selector of ['kubernetes.io/service-name%3Dshoal', 'app%3Dshoal,team%3Dgrid']) {
    const { status, body } = await get(`/apis/discovery.k8s.io/v1/namespaces/default/endpointslices?labelSelector=${selector}`);
    assert.equal(status, 200);
    assert.equal(body.kind, 'EndpointSliceList');
    assert.equal(body.apiVersion, 'discovery.k8s.io/v1');
    assert.equal(body.items.length, 1);
    const [slice] = body.items;
    assert.equal(slice.addressType, 'IPv4');
    assert.equal(slice.metadata.labels['kubernetes.io/service-name'], 'shoal');
    assert.deepEqual(slice.ports, [{ name: 'hazelcast', port: 5701, protocol: 'TCP' }]);
    assert.deepEqual(slice.endpoints.map((e) => ({ ip: e.addresses[0], ...e.conditions, node: e.nodeName, pod: e.targetRef.name })), [
      { ip: '10.0.0.10', ready: true, serving: true, terminating: false, node: 'node-a', pod: 'shoal-0' },
      { ip: '10.0.0.11', ready: false, serving: false, terminating: false, node: 'node-b', pod: 'shoal-1' },
    ]);
    assert.equal(slice.endpoints[0].zone, 'zone-a');
  }
});

test('endpoints follow pod changes', async () => {
  api.upsertPod({ name: 'shoal-2', ip: '10.0.0.12', labels: { app: 'shoal' }, nodeName: 'node-b' });
  let { body } = await get('/api/v1/namespaces/default/endpoints/shoal');
  assert.deepEqual(body.subsets[0].addresses.map((a) => a.ip), ['10.0.0.10', '10.0.0.12']);
  api.deletePod('default', 'shoal-2');
  ({ body } = await get('/api/v1/namespaces/default/endpoints/shoal'));
  assert.deepEqual(body.subsets[0].addresses.map((a) => a.ip), ['10.0.0.10']);
});

test('services are served singly and listed by label', async () => {
  const one = await get('/api/v1/namespaces/default/services/shoal');
  assert.equal(one.body.kind, 'Service');
  assert.deepEqual(one.body.spec.selector, { app: 'shoal' });
  assert.equal(one.body.spec.ports[0].port, 5701);
  const list = await get('/api/v1/namespaces/default/services?labelSelector=app%3Dshoal');
  assert.equal(list.body.kind, 'ServiceList');
  assert.deepEqual(list.body.items.map((s) => s.metadata.name), ['shoal']);
});

test('deny() answers 403 Forbidden like RBAC', async () => {
  api.deny(/\/nodes\//);
  try {
    const response = await get('/api/v1/nodes/node-a');
    assertStatus(response, 403, 'Forbidden');
    assert.match(response.body.message, /nodes "node-a" is forbidden: User ".*" cannot get resource "nodes"/);
    // Other paths are unaffected.
    assert.equal((await get('/api/v1/namespaces/default/pods')).status, 200);
  } finally {
    api.allow();
  }
  assert.equal((await get('/api/v1/nodes/node-a')).status, 200);
});

test('statefulsets are listed by field selector', async () => {
  const { status, body } = await get('/apis/apps/v1/namespaces/default/statefulsets?fieldSelector=metadata.name%3Dshoal');
  assert.equal(status, 200);
  assert.equal(body.kind, 'StatefulSetList');
  assert.equal(body.apiVersion, 'apps/v1');
  const [sts] = body.items;
  assert.equal(sts.metadata.name, 'shoal');
  assert.equal(sts.metadata.namespace, 'default');
  assert.match(sts.metadata.resourceVersion, /^\d+$/);
  assert.equal(sts.spec.replicas, 2);
  assert.deepEqual([sts.status.replicas, sts.status.readyReplicas, sts.status.currentReplicas], [2, 1, 2]);
  const other = await get('/apis/apps/v1/namespaces/default/statefulsets?fieldSelector=metadata.name%3Dnope');
  assert.deepEqual(other.body.items, []);
  assertStatus(await get('/apis/apps/v1/namespaces/default/statefulsets?fieldSelector=spec.foo%3D1'), 400, 'BadRequest');
});

test('a statefulset watch receives MODIFIED after upsertStatefulSet', async () => {
  const list = await get('/apis/apps/v1/namespaces/default/statefulsets?fieldSelector=metadata.name%3Dshoal');
  const from = list.body.metadata.resourceVersion;
  const watch = openWatch(`/apis/apps/v1/namespaces/default/statefulsets?fieldSelector=metadata.name%3Dshoal&watch=1&resourceVersion=${from}`);
  try {
    await watch.ready;
    api.upsertStatefulSet({ name: 'unrelated', replicas: 5 }); // filtered out by the field selector
    api.upsertStatefulSet({ name: 'shoal', readyReplicas: 2 });
    const event = await watch.next();
    assert.equal(event.type, 'MODIFIED');
    assert.equal(event.object.kind, 'StatefulSet');
    assert.equal(event.object.metadata.name, 'shoal');
    assert.equal(event.object.status.readyReplicas, 2);
    assert.ok(Number(event.object.metadata.resourceVersion) > Number(from));
  } finally {
    watch.close();
  }
});

test('a watch without resourceVersion starts with ADDED, and one from N replays later events', async () => {
  const fresh = openWatch('/apis/apps/v1/namespaces/default/statefulsets?fieldSelector=metadata.name%3Dshoal&watch=true');
  const first = await fresh.next();
  fresh.close();
  assert.equal(first.type, 'ADDED');
  assert.equal(first.object.metadata.name, 'shoal');

  const from = first.object.metadata.resourceVersion;
  api.upsertStatefulSet({ name: 'shoal', replicas: 3 }); // happens before the watch opens
  const replay = openWatch(`/apis/apps/v1/namespaces/default/statefulsets?watch=true&fieldSelector=metadata.name%3Dshoal&resourceVersion=${from}`);
  const event = await replay.next();
  replay.close();
  assert.equal(event.type, 'MODIFIED');
  assert.equal(event.object.spec.replicas, 3);
});

test('unknown paths are 404 Status', async () => {
  assertStatus(await get('/api/v1/namespaces/default/widgets'), 404, 'NotFound');
  assertStatus(await get('/healthz/nothing'), 404, 'NotFound');
  assertStatus(await get('/apis/apps/v1/deployments'), 404, 'NotFound');
});

test('requests are recorded with method, path and query', () => {
  const seen = api.requests.find((r) => r.path === '/api/v1/nodes/node-b');
  assert.deepEqual(seen, { method: 'GET', path: '/api/v1/nodes/node-b', query: {} });
  assert.ok(api.requests.some((r) => r.query.labelSelector === 'app=shoal,tier=grid'));
});

test('the resourceVersion counter increments on every mutation', () => {
  const before = Number(api.resourceVersion);
  api.upsertPod({ name: 'tmp', ip: '10.0.0.50' });
  api.deletePod('default', 'tmp');
  assert.equal(Number(api.resourceVersion), before + 2);
});

test('close() ends open watches and reuses the certificates on restart', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kube-api-close-'));
  const own = await startKubeApi({ dir, token: 't' });
  own.upsertStatefulSet({ name: 'shoal', replicas: 1 });
  const ended = new Promise((resolve, reject) => {
    https.get(`${own.url}/apis/apps/v1/namespaces/default/statefulsets?watch=1`,
      { ca: fs.readFileSync(own.caFile), headers: { Authorization: 'Bearer t' }, agent: false }, (res) => {
        res.resume();
        res.on('data', () => own.close()); // close once the first (ADDED) event arrives
        res.on('end', resolve);
        res.on('error', resolve);
      }).on('error', reject);
  });
  await ended;
  const certBefore = fs.readFileSync(own.caFile, 'utf8');
  const again = await startKubeApi({ dir, token: 't' });
  await again.close();
  assert.equal(fs.readFileSync(again.caFile, 'utf8'), certBefore);
});
