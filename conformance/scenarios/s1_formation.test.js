'use strict';
// Scenario 1, formation: the chart's default install runs 3 members that form one cluster;
// every member shows the same member list and member-list version, the chart's helm test
// passes, and 100k entries written over several maps all read back intact.
const test = require('node:test');
const assert = require('node:assert');
const { Ledger } = require('../suite/ledger');
const { runScenario, verifyLedger, readyEndpoints, getJson, waitForClusterSize, waitForSafe, ENTRIES } = require('../suite/scenario');

test('1 formation: 3 members, one member list and version everywhere, helm test passes, nothing lost', async (t) => {
  await runScenario(t, 's1-formation', 'formation of 3 members, helm test, write/read', { subnet: 101 }, async ({ platform, report }) => {
    const release = 'formation';
    await report.step('install and roll out 3 members', async () => {
      await platform.install(release, { set: ['cluster.memberCount=3'] });
      await platform.waitForRollout(release, 120000);
      await waitForClusterSize(platform, release, 3);
    });
    const pods = await platform.pods(release);
    assert.strictEqual(pods.length, 3);
    assert.deepStrictEqual(new Set(pods.map((p) => p.node)).size, 3, 'soft anti-affinity spreads the members over the 3 nodes');
    const views = await Promise.all(pods.map(async (p) => {
      const info = await getJson(platform, p.name, '/hazelcast/rest/cluster');
      return { clusterId: info.clusterId, members: info.members.map((m) => m.uuid), version: info.memberListVersion };
    }));
    for (const v of views) assert.deepStrictEqual(v, views[0], 'every member shows the same member list and version');
    assert.strictEqual(views[0].members.length, 3);
    report.measure('member list version', views[0].version);
    const status = await platform.statefulSetStatus(release);
    assert.strictEqual(status.readyReplicas, 3);
    const helmTest = await report.step('helm test', () => platform.helmTest(release));
    assert.ok(helmTest.ok, `helm test failed:\n${helmTest.results.map((r) => r.log).join('\n')}`);
    assert.match(helmTest.results[0].log, /wrote and read back \d+ entries/);
    const ledger = new Ledger({ targets: readyEndpoints(platform, release) });
    await report.step(`write ${ENTRIES} entries`, () => ledger.write(ENTRIES));
    await waitForSafe(platform, release);
    await verifyLedger(report, ledger);
  });
});
