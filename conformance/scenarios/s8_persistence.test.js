'use strict';
// Scenario 8, persistence (values-examples/persistence.yaml: a volume per pod, the automatic
// cluster state watching the StatefulSet):
//   - a rolling restart (helm upgrade with a new pod annotation: highest ordinal first, each
//     pod ready before the next) switches the cluster to NO_MIGRATION and back to ACTIVE, and no
//     migration runs while a member is away;
//   - a full shutdown (helm upgrade to 0 replicas) makes the cluster PASSIVE first; started
//     again, every entry comes back from disk;
//   - one member's volume is lost: it comes back empty and its data is rebuilt from backups.
const test = require('node:test');
const assert = require('node:assert');
const { Ledger } = require('../suite/ledger');
const { NotSupported } = require('../platform/interface');
const { runScenario, installAndSettle, verifyLedger, readyEndpoints, getJson, waitFor, waitForClusterSize, waitForSafe, ENTRIES } = require('../suite/scenario');

const loaded = (log) => (log.match(/persistence: loaded (\d+) entries/g) || []).map((l) => Number(l.match(/\d+/)[0]));

// Samples every ready member's cluster state and migration queue until stop().
function watchStates(platform, release) {
  const seen = { states: new Set(), migrationsWhileNoMigration: 0, stopped: false };
  seen.done = (async () => {
    while (!seen.stopped) {
      for (const p of (await platform.pods(release)).filter((x) => x.phase !== 'Pending')) {
        try {
          const h = await getJson(platform, p.name, '/hazelcast/health');
          seen.states.add(h.clusterState);
          if (h.clusterState === 'NO_MIGRATION') seen.migrationsWhileNoMigration = Math.max(seen.migrationsWhileNoMigration, h.migrationQueueSize);
        } catch (e) { /* a member going away */ }
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  })();
  seen.stop = async () => { seen.stopped = true; await seen.done; return seen; };
  return seen;
}

async function waitForState(platform, release, state, deadlineMs = 60000) {
  return waitFor(`cluster state ${state}`, deadlineMs, async () => {
    const pods = (await platform.pods(release)).filter((p) => p.ready);
    const states = await Promise.all(pods.map(async (p) => (await getJson(platform, p.name, '/hazelcast/health')).clusterState));
    return states.length > 0 && states.every((s) => s === state);
  }, 200);
}

test('8 persistence: rolling restart in NO_MIGRATION, full shutdown and restart from disk, a lost volume rebuilt', async (t) => {
  await runScenario(t, 's8-persistence', 'persistence: rolling restart, 0 replicas and back, a wiped volume', { subnet: 108 }, async ({ platform, report }) => {
    const release = 'persist';
    const values = (extra = []) => ({ values: ['values-examples/persistence.yaml'], set: ['gracefulShutdown.maxWaitSeconds=120', ...extra] });
    await report.step('install and roll out 3 members', async () => {
      await installAndSettle(platform, release, values(), 3);
    });
    const ledger = new Ledger({ targets: readyEndpoints(platform, release) });
    await report.step(`write ${ENTRIES} entries`, () => ledger.write(ENTRIES));
    await waitForSafe(platform, release);

    // Rolling restart under write load.
    const watch = watchStates(platform, release);
    try {
      await ledger.underLoad(4, () => report.step('rolling restart (helm upgrade, new pod annotation)', async () => {
        await platform.upgrade(release, values(['podAnnotations.restartedAt=r1']));
        await waitFor('the rolling update to start', 30000, async () => (await platform.pods(release)).some((p) => !p.ready));
        await platform.waitForRollout(release, 300000);
        await waitForClusterSize(platform, release, 3);
        await waitForState(platform, release, 'ACTIVE');
        await waitForSafe(platform, release);
      }));
    } finally {
      await watch.stop();
    }
    const seen = watch;
    assert.ok(seen.states.has('NO_MIGRATION'), `the cluster went to NO_MIGRATION during the rolling restart (saw ${[...seen.states]})`);
    const pods = await platform.pods(release);
    const logs = await Promise.all(pods.map((p) => platform.logs(p.name, 'member')));
    report.measure('entries loaded from disk per member after the rolling restart', logs.map((l) => loaded(l).slice(-1)[0]).join(', '));
    assert.ok(logs.some((l) => /automatic cluster state: NO_MIGRATION -> ACTIVE: every replica is back/.test(l)));
    // Members that handed their partitions over (a migration) instead of leaving them in place.
    const allLogs = platform.allLogs ? platform.allLogs(1e9) : logs.join('\n');
    const handedOver = (allLogs.match(/graceful shutdown: (asking the master to move|moving every replica off)/g) || []).length;
    report.measure('members that started handing their partitions over during the rolling restart', handedOver);
    assert.doesNotMatch(allLogs, /after the max wait|no master confirmed the hand-over in time/, 'no member waited out its graceful max wait');
    report.measure('largest migration queue sampled while NO_MIGRATION', seen.migrationsWhileNoMigration);
    // A member whose pod comes back switches the cluster to NO_MIGRATION itself before leaving.
    await t.test('no migration during the rolling restart', () => {
      assert.strictEqual(handedOver, 0, `${handedOver} members migrated their partitions away instead of leaving them in place`);
      assert.strictEqual(seen.migrationsWhileNoMigration, 0, 'no migration queued while in NO_MIGRATION');
    });

    // Full shutdown to 0 replicas and back.
    const before = (await platform.pods(release)).map((p) => p.name);
    await report.step('helm upgrade to 0 replicas (PASSIVE, every member stops)', async () => {
      await platform.upgrade(release, values(['podAnnotations.restartedAt=r1', 'cluster.memberCount=0']));
      await platform.waitForRollout(release, 300000);
    });
    for (const name of before) {
      assert.match(await platform.logs(name, 'member'), /graceful shutdown in cluster state PASSIVE|graceful shutdown: the cluster went PASSIVE/, `${name} stopped in PASSIVE`);
    }
    await report.step('helm upgrade to 3 replicas: every member recovers from disk', async () => {
      await platform.upgrade(release, values(['podAnnotations.restartedAt=r1', 'cluster.memberCount=3']));
      await platform.waitForRollout(release, 300000);
      await waitForClusterSize(platform, release, 3, 120000);
      await waitForSafe(platform, release);
    });
    const fromDisk = (await Promise.all((await platform.pods(release)).map((p) => platform.logs(p.name, 'member'))))
      .map((l) => loaded(l).slice(-1)[0] || 0);
    report.measure('entries loaded from disk per member after 0 -> 3', fromDisk.join(', '));
    assert.ok(fromDisk.reduce((a, b) => a + b, 0) >= ledger.acknowledged.size, 'the data came back from disk');
    await verifyLedger(report, ledger);

    // One member's volume lost: it comes back empty, its data from the others' backups.
    const victim = (await platform.pods(release))[2].name;
    try {
      await report.step(`${victim}'s volume wiped, the pod back and the cluster safe`, async () => {
        await platform.wipeVolume(release, victim);
        await platform.waitForRollout(release, 300000);
        await waitForClusterSize(platform, release, 3, 120000);
        await waitForSafe(platform, release);
      });
      const log = await platform.logs(victim, 'member');
      report.measure(`entries ${victim} loaded from its wiped volume`, loaded(log).slice(-1)[0] ?? 'none (no persisted data)');
      assert.ok(!(loaded(log).slice(-1)[0] > 0), 'the wiped volume held nothing');
      const owned = await getJson(platform, victim, '/hazelcast/health');
      assert.strictEqual(owned.clusterSize, 3);
    } catch (e) {
      if (!(e instanceof NotSupported)) throw e;
      report.note(`volume wipe skipped: ${e.message}`);
    }
    await verifyLedger(report, ledger);
  });
});
