'use strict';
// Scenario 2, scaling with helm upgrade under write load: 3 -> 6 -> 3 -> 1 members, backup
// count 1, graceful shutdown (the StatefulSet stops the highest ordinal first, one at a time,
// each member handing its partitions over before it exits). Time per step; nothing lost.
const test = require('node:test');
const assert = require('node:assert');
const { Ledger } = require('../suite/ledger');
const { runScenario, installAndSettle, upgradeUnderLoad, verifyLedger, readyEndpoints, ENTRIES } = require('../suite/scenario');

test('2 scale 3 -> 6 -> 3 -> 1 with helm upgrade under write load: nothing lost', async (t) => {
  await runScenario(t, 's2-scale', 'helm upgrade 3 -> 6 -> 3 -> 1 under write load', { subnet: 102 }, async ({ platform, report }) => {
    const release = 'scale';
    const values = (n) => ({ set: [`cluster.memberCount=${n}`, 'config.backupCount=1', 'gracefulShutdown.maxWaitSeconds=120'] });
    await report.step('install and roll out 3 members', async () => {
      await installAndSettle(platform, release, values(3), 3);
    });
    const ledger = new Ledger({ targets: readyEndpoints(platform, release) });
    await report.step(`write ${ENTRIES} entries`, () => ledger.write(ENTRIES));
    await ledger.underLoad(8, async () => {
      for (const n of [6, 3, 1]) {
        await report.step(`helm upgrade to ${n} (rolled out, cluster of ${n}, safe)`, () =>
          upgradeUnderLoad(platform, release, values(n), n, ledger));
        assert.strictEqual((await platform.pods(release)).length, n);
      }
    });
    await verifyLedger(report, ledger);
  });
});
