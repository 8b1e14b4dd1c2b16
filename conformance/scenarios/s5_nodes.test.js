'use strict';
// Scenario 5, node-aware: six members on three simulated nodes (values-examples/scaling.yaml:
// NODE_AWARE backups, soft anti-affinity by hostname spreading two members per node). One node
// fails (SIGKILL of its two members, the node cordoned): nothing is lost, and the StatefulSet
// re-creates the two pods on the remaining nodes.
const test = require('node:test');
const assert = require('node:assert');
const { Ledger } = require('../suite/ledger');
const { runScenario, installAndSettle, verifyLedger, readyEndpoints, waitForClusterSize, waitForSafe, ENTRIES } = require('../suite/scenario');

test('5 node-aware: six members on three nodes, SIGKILL of one node loses nothing', async (t) => {
  await runScenario(t, 's5-nodes', 'six members on three nodes, one node killed', { subnet: 105 }, async ({ platform, report }) => {
    const release = 'nodes';
    await report.step('install and roll out 6 members', async () => {
      await installAndSettle(platform, release, { values: ['values-examples/scaling.yaml'] }, 6, 180000);
    });
    const pods = await platform.pods(release);
    const perNode = {};
    for (const p of pods) perNode[p.node] = (perNode[p.node] || 0) + 1;
    assert.deepStrictEqual(Object.values(perNode), [2, 2, 2], `two members per node: ${JSON.stringify(perNode)}`);
    const ledger = new Ledger({ targets: readyEndpoints(platform, release) });
    await report.step(`write ${ENTRIES} entries`, () => ledger.write(ENTRIES));
    await waitForSafe(platform, release);
    const node = pods[1].node;
    const killed = Date.now();
    const victims = await platform.killNode(node);
    assert.strictEqual(victims.length, 2);
    const served = await ledger.everyPartitionServed(killed);
    report.measure(`every partition served again after ${node} died`, `${served} ms`);
    await report.step('the two pods re-created on the other nodes, cluster of 6, safe', async () => {
      await platform.waitForRollout(release, 180000);
      await waitForClusterSize(platform, release, 6);
      await waitForSafe(platform, release);
    });
    assert.ok((await platform.pods(release)).every((p) => p.node !== node), `nothing runs on the dead ${node}`);
    await verifyLedger(report, ledger);
  });
});
