'use strict';
// Scenario 3, a crash: one of three members is SIGKILLed (kubectl delete pod --grace-period=0
// --force) under write load. Every partition must serve again within seconds (measured), the
// StatefulSet brings the pod back, and not one acknowledged write may be lost.
const test = require('node:test');
const assert = require('node:assert');
const { Ledger } = require('../suite/ledger');
const { runScenario, installAndSettle, verifyLedger, readyEndpoints, waitForClusterSize, waitForSafe, waitFor, sleep, ENTRIES } = require('../suite/scenario');

test('3 SIGKILL one of three members under write load: every partition served again, nothing lost', async (t) => {
  await runScenario(t, 's3-sigkill', 'SIGKILL one of 3 members under write load', { subnet: 103 }, async ({ platform, report }) => {
    const release = 'crash';
    await report.step('install and roll out 3 members', async () => {
      await installAndSettle(platform, release, { set: ['cluster.memberCount=3', 'config.backupCount=1'] }, 3);
    });
    const ledger = new Ledger({ targets: readyEndpoints(platform, release) });
    await report.step(`write ${ENTRIES} entries`, () => ledger.write(ENTRIES));
    const victim = (await platform.pods(release))[1].name;
    await ledger.underLoad(16, async () => {
      await waitFor('the load to run', 10000, () => ledger.acknowledged.size > ENTRIES + 500);
      ledger.longestWriteMs = 0;
      const killed = Date.now();
      await platform.killPod(victim, { graceSeconds: 0 });
      const served = await ledger.everyPartitionServed(killed);
      report.measure('every one of the 271 partitions served again after the SIGKILL', `${served} ms`);
      await report.step('the pod is back and the cluster safe', async () => {
        await platform.waitForRollout(release, 120000);
        await waitForClusterSize(platform, release, 3);
        await waitForSafe(platform, release);
      });
      report.measure('back to 3 members, every backup in sync, after the SIGKILL', `${Date.now() - killed} ms`);
      await sleep(500); // a little load on the restored cluster too
    });
    report.measure('longest wait of a write across the crash', `${ledger.longestWriteMs} ms`);
    const pods = await platform.pods(release);
    assert.ok(pods.find((p) => p.name === victim).ready, `${victim} re-created and ready`);
    await verifyLedger(report, ledger);
  });
});
