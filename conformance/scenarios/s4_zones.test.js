'use strict';
// Scenario 4, zone-aware multi-install: two releases of one cluster (values-examples/zone-a.yaml
// and zone-b.yaml: the same cluster name and discovery Service, each release pinned to its zone
// by nodeAffinity), three members each, ZONE_AWARE backups. Zone a fails (every pod on its
// nodes SIGKILLed, the nodes cordoned): zone b's members hold every entry.
const test = require('node:test');
const assert = require('node:assert');
const { Ledger } = require('../suite/ledger');
const { runScenario, verifyLedger, readyEndpoints, waitForClusterSize, waitForSafe, ENTRIES } = require('../suite/scenario');

test('4 zone-aware: two releases in zones a and b, SIGKILL of zone a loses nothing', async (t) => {
  await runScenario(t, 's4-zones', 'two releases in zones a and b, zone a killed', { subnet: 104 }, async ({ platform, report }) => {
    await report.step('install both releases, 6 members in one cluster', async () => {
      await platform.install('zones-a', { values: ['values-examples/zone-a.yaml'], set: ['zoneAware.zone=zone-a'] });
      await platform.install('zones-b', { values: ['values-examples/zone-b.yaml'], set: ['zoneAware.zone=zone-b'] });
      await platform.waitForRollout('zones-a', 120000);
      await platform.waitForRollout('zones-b', 120000);
      await waitForClusterSize(platform, 'zones-a', 6);
      await waitForClusterSize(platform, 'zones-b', 6);
      await waitForSafe(platform, 'zones-b');
    });
    for (const p of await platform.pods()) {
      assert.strictEqual(p.zone, p.release === 'zones-a' ? 'zone-a' : 'zone-b', `${p.name} runs in its release's zone`);
      assert.match(await platform.logs(p.name, 'member'), new RegExp(`placement: node ${p.node}, zone ${p.zone}`));
    }
    const ledger = new Ledger({ targets: readyEndpoints(platform) });
    await report.step(`write ${ENTRIES} entries`, () => ledger.write(ENTRIES));
    await waitForSafe(platform, 'zones-b');
    const killed = Date.now();
    const victims = await platform.killZone('zone-a');
    assert.strictEqual(victims.length, 3, 'zone a held three members');
    await report.step('zone b alone: a cluster of 3', () => waitForClusterSize(platform, 'zones-b', 3, 60000));
    report.measure('zone a gone, the cluster of 3 formed after the kill', `${Date.now() - killed} ms`);
    const pending = (await platform.pods('zones-a')).filter((p) => p.phase === 'Pending');
    report.note(`zone a's pods after the kill: ${pending.length} Pending (nodeAffinity keeps them in zone a, whose nodes are cordoned; OrderedReady tries the lowest missing ordinal only)`);
    // Reads go to zone b only: zone a's replacements cannot be scheduled.
    await verifyLedger(report, ledger, ENTRIES);
    await waitForSafe(platform, 'zones-b');
    assert.match(await platform.logs((await platform.pods('zones-b'))[0].name, 'member'), /ZONE_AWARE: only 1 group/);
  });
});
