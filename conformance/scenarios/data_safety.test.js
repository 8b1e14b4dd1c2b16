'use strict';
// Zero data loss: each scenario writes at least 100k entries, makes members fail or leave
// (SIGKILL for crashes, SIGTERM for scale-down), and then reads back every acknowledged entry.
const test = require('node:test');
const assert = require('node:assert');
const { withCluster } = require('../platform/local/local_cluster');
const { Workload } = require('../platform/local/workload');

const ENTRIES = Number(process.env.SHOAL_CONFORMANCE_ENTRIES || 100000);

async function expectEveryEntry(t, workload, minimum) {
  const { checked, bad } = await workload.verify();
  t.diagnostic(`checked ${checked} acknowledged entries (${workload.retries} writes retried on another member)`);
  assert.ok(checked >= minimum, `only ${checked} entries were acknowledged`);
  assert.deepStrictEqual(bad.slice(0, 10), [], `${bad.length} of ${checked} acknowledged entries lost or wrong`);
}

async function startMembers(cluster, placements) {
  for (const p of placements) cluster.addMember(p);
  await cluster.waitForSize(placements.length);
  await cluster.waitForSafe();
}

test('SIGKILL one of three members under write load: no acknowledged write lost', async (t) => {
  await withCluster(t, { subnet: 81 }, async (cluster) => {
    await startMembers(cluster, [{}, {}, {}]);
    const workload = new Workload(cluster);
    await workload.write(0, ENTRIES);
    const writer = workload.writeUntilStopped(ENTRIES);
    await new Promise((r) => setTimeout(r, 500)); // let the load run before the crash
    workload.longestPutMs = 0;
    const killed = Date.now();
    await cluster.members[1].kill('SIGKILL');
    const everyPartition = workload.readEveryPartition().then(() => Date.now() - killed);
    await cluster.waitForSize(2);
    const removed = Date.now() - killed;
    const served = await everyPartition;
    await cluster.waitForSafe();
    t.diagnostic(`after SIGKILL: member removed in ${removed} ms, every one of the 271 partitions ` +
      `served again in ${served} ms, every backup rebuilt in ${Date.now() - killed} ms`);
    workload.stop();
    await writer;
    // The writers cycle through every partition, so the longest wait shows how long the
    // partitions of the killed member went unserved.
    t.diagnostic(`longest wait of a write across the crash: ${workload.longestPutMs} ms`);
    await expectEveryEntry(t, workload, ENTRIES);
  });
});

test('ZONE_AWARE: 6 members in 2 zones, SIGKILL of a whole zone loses nothing', async (t) => {
  const zones = ['zone-a', 'zone-b'];
  const placements = [0, 1, 2, 3, 4, 5].map((i) => ({ zone: zones[i % 2], node: `node-${i}` }));
  await withCluster(t, { subnet: 82, groupType: 'ZONE_AWARE' }, async (cluster) => {
    await startMembers(cluster, placements);
    for (const m of cluster.members) assert.match(m.log(), new RegExp(`placement: node ${m.node}, zone ${m.zone}`));
    const workload = new Workload(cluster);
    await workload.write(0, ENTRIES);
    await cluster.waitForSafe();
    const zoneB = cluster.members.filter((m) => m.zone === 'zone-b');
    await Promise.all(zoneB.map((m) => m.kill('SIGKILL')));
    await cluster.waitForSize(3);
    await expectEveryEntry(t, workload, ENTRIES);
    await cluster.waitForSafe();
    assert.match(cluster.running()[0].log(), /ZONE_AWARE: only 1 group/, 'one zone left is logged as degraded placement');
  });
});

test('NODE_AWARE: 3 nodes with 2 members each, SIGKILL of one node loses nothing', async (t) => {
  const placements = [0, 1, 2, 3, 4, 5].map((i) => ({ node: `node-${i % 3}`, zone: 'zone-a' }));
  await withCluster(t, { subnet: 83, groupType: 'NODE_AWARE' }, async (cluster) => {
    await startMembers(cluster, placements);
    const workload = new Workload(cluster);
    await workload.write(0, ENTRIES);
    await cluster.waitForSafe();
    await Promise.all(cluster.members.filter((m) => m.node === 'node-1').map((m) => m.kill('SIGKILL')));
    await cluster.waitForSize(4);
    await expectEveryEntry(t, workload, ENTRIES);
  });
});

test('scale 3 -> 6 -> 3 -> 1 gracefully under write load: nothing lost, every member exits 0', async (t) => {
  await withCluster(t, { subnet: 84 }, async (cluster) => {
    await startMembers(cluster, [{}, {}, {}]);
    const workload = new Workload(cluster);
    await workload.write(0, ENTRIES);
    const writer = workload.writeUntilStopped(ENTRIES, 8);
    for (let i = 0; i < 3; i++) cluster.addMember();
    await cluster.waitForSize(6);
    await cluster.waitForSafe();
    // A StatefulSet with podManagementPolicy Parallel stops the highest ordinals at once.
    const scaleDown = async (count, size) => {
      const leaving = cluster.running().slice(-count);
      const started = Date.now();
      const exits = await Promise.all(leaving.map((m) => m.stop(120)));
      t.diagnostic(`${count} members stopped together in ${Date.now() - started} ms`);
      for (const exit of exits) assert.deepStrictEqual(exit, { code: 0, signal: null });
      await cluster.waitForSize(size);
    };
    await scaleDown(3, 3);
    await scaleDown(2, 1);
    workload.stop();
    await writer;
    await expectEveryEntry(t, workload, ENTRIES);
  });
});
