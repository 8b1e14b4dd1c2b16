'use strict';
// Cluster formation through each discovery mode, with members started all at once.
const test = require('node:test');
const assert = require('node:assert');
const { LocalCluster } = require('../platform/local/local_cluster');
const rest = require('../platform/local/rest');

async function formAndCheck(t, { discovery, subnet, size }) {
  const cluster = await new LocalCluster({ discovery, subnet }).start();
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
