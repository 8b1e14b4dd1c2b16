'use strict';
// Scenario 9, bad values: a typo in the values fails `helm install` at once with the schema's
// message naming the key; a member given a broken config (an unknown key in config.overrides,
// which the schema cannot know) logs the error naming the key, exits 2, is restarted and never
// becomes ready, and its Service never lists it as ready.
const test = require('node:test');
const assert = require('node:assert');
const { runScenario, waitFor, sleep } = require('../suite/scenario');

test('9 bad values: a values typo fails helm install with the schema message; a broken config is reported and never ready', async (t) => {
  await runScenario(t, 's9-bad-values', 'values typo and broken member config', { subnet: 109 }, async ({ platform, report }) => {
    const started = Date.now();
    await assert.rejects(platform.install('typo', { set: ['cluster.memberCont=3'] }),
      (e) => /additional properties 'memberCont' not allowed/.test(e.message) && /at '\/cluster'/.test(e.message));
    report.measure('helm install with a typo refused after', `${Date.now() - started} ms`);
    assert.deepStrictEqual(await platform.pods('typo').catch(() => []), [], 'nothing was installed');

    const release = 'broken';
    await platform.install(release, { set: ['cluster.memberCount=1', 'config.overrides.map.default.backup-cunt=1'] });
    const pod = `${release}-shoal-0`;
    await report.step('the member reports the bad key, exits 2 and is restarted', () =>
      waitFor('a restart after exit 2', 60000, async () => {
        const p = (await platform.pods(release)).find((x) => x.name === pod);
        return p && p.restarts >= 1 && p.lastExitCode === 2 && p;
      }, 200));
    const log = await platform.logs(pod, 'member');
    assert.match(log, /backup-cunt/, 'the log names the unknown key');
    report.measure('what the member says', log.split('\n').find((l) => /backup-cunt/.test(l)).slice(0, 200));
    // Never ready: sampled for a few probe periods after the restarts began.
    for (let i = 0; i < 10; i++) {
      const p = (await platform.pods(release)).find((x) => x.name === pod);
      assert.strictEqual(p.ready, false, `${pod} must never be ready`);
      await sleep(300);
    }
    const status = await platform.statefulSetStatus(release);
    assert.ok(!status.readyReplicas, 'the StatefulSet counts no ready replica');
  });
});
