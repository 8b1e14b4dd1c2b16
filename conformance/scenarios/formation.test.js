'use strict';
// Cluster formation through each discovery mode, with members started all at once.
const test = require('node:test');
const assert = require('node:assert');
const { LocalCluster, waitFor } = require('../platform/local/local_cluster');
const rest = require('../platform/local/rest');

async function formAndCheck(t, { discovery, selector, subnet, size }) {
  const cluster = await new LocalCluster({ discovery, selector, subnet }).start();
  t.after(() => cluster.close());
  try {
    const started = Date.now();
    for (let i = 0; i < size; i++) cluster.addMember();
    await cluster.waitForSize(size, 30000);
    t.diagnostic(`${size} members through ${discovery} formed one cluster in ${Date.now() - started} ms`);
    // One cluster: every member reports the same cluster id and member list, master first.
    const views = await Promise.all(cluster.running().map(async (m) => {
      const info = JSON.parse((await rest.request(m.ip, 'GET', '/hazelcast/rest/cluster')).body);
      return { clusterId: info.clusterId, members: info.members.map((x) => x.uuid), version: info.memberListVersion };
    }));
    for (const view of views) assert.deepStrictEqual(view, views[0]);
    assert.strictEqual(views[0].members.length, size);
    assert.ok(views[0].version >= size, 'the member list version grows with every change');
  } catch (e) {
    e.message += `\n${cluster.logs()}`;
    throw e;
  }
  return cluster;
}

test('3 members form one cluster through the Kubernetes API', (t) => formAndCheck(t, { discovery: 'kubernetes', subnet: 61, size: 3 }));
test('6 members form one cluster through the Kubernetes API', (t) => formAndCheck(t, { discovery: 'kubernetes', subnet: 62, size: 6 }));
test('3 members form one cluster through DNS', (t) => formAndCheck(t, { discovery: 'dns', subnet: 63, size: 3 }));
test('6 members form one cluster through DNS', (t) => formAndCheck(t, { discovery: 'dns', subnet: 64, size: 6 }));

// The other two Kubernetes API selectors: the members ask for what carries the label.
for (const [selector, subnet, path] of [
  ['service-label', 67, '/api/v1/namespaces/default/services'],
  ['pod-label', 68, '/api/v1/namespaces/default/pods'],
]) {
  test(`3 members form one cluster through the Kubernetes API by ${selector}`, async (t) => {
    const cluster = await formAndCheck(t, { discovery: 'kubernetes', selector, subnet, size: 3 });
    assert.ok(cluster.api.requests.some((r) => r.path === path && r.query.labelSelector === 'app=shoal'),
      `the members list ${path} with labelSelector app=shoal`);
  });
}

test('a 403 from the Kubernetes API names the missing RBAC rule; the member waits instead of starting alone', async (t) => {
  const cluster = await new LocalCluster({ discovery: 'kubernetes', subnet: 65 }).start();
  t.after(() => cluster.close());
  cluster.api.deny(/endpoint/);
  const member = cluster.addMember();
  try {
    await waitFor('the RBAC error twice in the log', 20000, () => (member.log().match(/403 Forbidden/g) || []).length >= 2);
    assert.match(member.log(), /resources: \["endpoints"\]/);
    assert.match(member.log(), /EndpointSlices failed too: .*resources: \["endpointslices"\]/);
    assert.match(member.log(), /not starting alone/);
    const ready = await rest.request(member.ip, 'GET', '/hazelcast/health/ready');
    assert.strictEqual(ready.status, 503, 'not ready while discovery is refused');
    // The operator fixes the Role: the member joins (forms) the cluster on its next attempt.
    cluster.api.allow();
    await waitFor('readiness', 20000, async () => (await rest.request(member.ip, 'GET', '/hazelcast/health/ready')).status === 200);
    assert.ok(cluster.api.requests.some((r) => r.path.includes('/endpointslices')), 'EndpointSlices are asked first');
  } catch (e) {
    e.message += `\n${cluster.logs()}`;
    throw e;
  }
});

test('a member with another cluster name is refused and both sides log why', async (t) => {
  const cluster = await new LocalCluster({ discovery: 'kubernetes', subnet: 66 }).start();
  t.after(() => cluster.close());
  try {
    cluster.addMember();
    cluster.addMember();
    await cluster.waitForSize(2);
    const stranger = cluster.addMember({ env: { HZ_CLUSTERNAME: 'other' } });
    await waitFor('the refusal in the logs', 20000, () => cluster.members.some((m) => m !== stranger && /refused member .*cluster name 'other'/.test(m.log()))
      && /cluster name 'other' does not match/.test(stranger.log()));
    await waitFor('the stranger to be up on its own', 20000, async () => (await rest.health(stranger.ip)).clusterSize === 1);
    for (const m of cluster.members.filter((x) => x !== stranger)) assert.strictEqual((await rest.health(m.ip)).clusterSize, 2);
  } catch (e) {
    e.message += `\n${cluster.logs()}`;
    throw e;
  }
});
