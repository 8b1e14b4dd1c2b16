'use strict';
// Persistence on the local platform: members keep their data in a directory per pod (its
// PersistentVolume) and the master manages the cluster state from their StatefulSet, served by
// the Kubernetes API stand-in as its controller would report it.
const test = require('node:test');
const assert = require('node:assert');
const { withCluster, waitFor } = require('../platform/local/local_cluster');
const { Workload } = require('../platform/local/workload');
const rest = require('../platform/local/rest');

const ENTRIES = Number(process.env.SHOAL_CONFORMANCE_PERSISTENCE_ENTRIES || 20000);

// The entry count of the member's latest "persistence: loaded N entries" line.
const lastLoaded = (member) => Number((member.log().match(/persistence: loaded (\d+) entries/g) || ['0']).slice(-1)[0].match(/\d+/)[0]);

const clusterState = async (member) => (await rest.health(member.ip)).clusterState;

async function waitForState(cluster, state, deadlineMs = 30000) {
  return waitFor(`cluster state ${state}`, deadlineMs, async () => {
    const states = await Promise.all(cluster.running().map(clusterState));
    return states.length > 0 && states.every((s) => s === state);
  }, 200);
}

test('rolling restart with the automatic cluster state: NO_MIGRATION while each member is away, ACTIVE after, nothing lost', async (t) => {
  await withCluster(t, { subnet: 91, persistence: true }, async (cluster) => {
    for (let i = 0; i < 3; i++) cluster.addMember();
    await cluster.waitForSize(3);
    await cluster.waitForSafe();
    assert.strictEqual(await cluster.syncStatefulSet(3), 3);
    await waitFor('the watch to start', 20000, () => cluster.members.every((m) => /automatic cluster state: watching StatefulSet default\/shoal/.test(m.log())));
    const workload = new Workload(cluster);
    await workload.write(0, ENTRIES);
    // As a rolling update does: the highest ordinal first, each pod not ready from its SIGTERM
    // on, the next one only when the restarted pod is ready again.
    for (const ordinal of [2, 1, 0]) {
      const member = cluster.members[ordinal];
      await cluster.syncStatefulSet(3, [member]);
      await waitForState(cluster, 'NO_MIGRATION');
      const exit = await member.stop(60);
      assert.deepStrictEqual(exit, { code: 0, signal: null }, `${member.name} exits 0`);
      const again = cluster.restart(member);
      await waitFor(`${again.name} ready`, 60000, async () => (await rest.request(again.ip, 'GET', '/hazelcast/health/ready')).status === 200);
      await cluster.waitForSize(3);
      await waitFor('readyReplicas 3', 30000, async () => (await cluster.syncStatefulSet(3)) === 3);
      await waitForState(cluster, 'ACTIVE');
      await cluster.waitForSafe();
      t.diagnostic(`${again.name} restarted on its directory: ${lastLoaded(again)} entries loaded from disk`);
    }
    const logs = cluster.logs();
    assert.match(logs, /automatic cluster state: ACTIVE -> NO_MIGRATION: a member is missing while the StatefulSet is stable/);
    assert.match(logs, /automatic cluster state: NO_MIGRATION -> ACTIVE: every replica is back/);
    const { checked, bad } = await workload.verify();
    assert.ok(checked >= ENTRIES);
    assert.deepStrictEqual(bad.slice(0, 10), [], `${bad.length} of ${checked} entries lost or wrong`);
  });
});

test('scaled to 0 the cluster goes PASSIVE; started again every entry is back from disk', async (t) => {
  await withCluster(t, { subnet: 92, persistence: true }, async (cluster) => {
    for (let i = 0; i < 3; i++) cluster.addMember();
    await cluster.waitForSize(3);
    await cluster.waitForSafe();
    await cluster.syncStatefulSet(3);
    const workload = new Workload(cluster);
    await workload.write(0, ENTRIES);
    await cluster.syncStatefulSet(0, cluster.running());
    await waitForState(cluster, 'PASSIVE');
    // OrderedReady scale-down: the highest ordinal first.
    for (const member of [...cluster.members].reverse()) {
      assert.deepStrictEqual(await member.stop(60), { code: 0, signal: null });
    }
    // Scaled up again: the StatefulSet wants 3 before its pods start.
    await cluster.syncStatefulSet(3);
    const restarted = [...cluster.members].map((m) => cluster.restart(m));
    await cluster.waitForSize(3, 60000);
    await waitFor('readyReplicas 3', 30000, async () => (await cluster.syncStatefulSet(3)) === 3);
    await waitForState(cluster, 'ACTIVE', 60000);
    const loaded = restarted.map(lastLoaded);
    t.diagnostic(`entries loaded from disk per member: ${loaded.join(', ')}`);
    assert.ok(loaded.reduce((a, b) => a + b, 0) >= ENTRIES, 'the data came back from disk, not from nowhere');
    const { checked, bad } = await workload.verify();
    assert.ok(checked >= ENTRIES);
    assert.deepStrictEqual(bad.slice(0, 10), [], `${bad.length} of ${checked} entries lost or wrong`);
  });
});
