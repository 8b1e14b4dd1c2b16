'use strict';
// Scenarios 6 and 7, the app deployment modes: three pods, each an app with the grid beside it
// (6: values-examples/sidecar.yaml, the sidecar app reaching its member at the pod's localhost)
// or inside it (7: values-examples/embedded.yaml, the embedded app starting a member
// in-process). An entry /put through one pod's app is read with /get through another's; then
// the Deployment is scaled 3 -> 5 -> 2 with helm upgrade under write load through the apps,
// and every acknowledged entry is read back. Each runs when its binary is in build/ and is
// skipped, saying so, when it is not.
const test = require('node:test');
const assert = require('node:assert');
const fs = require('node:fs');
const path = require('node:path');
const { BUILD } = require('../platform/local/pod');
const { platformName } = require('../platform/interface');
const chart = require('../chart/chart');
const { Ledger, CLIENTS } = require('../suite/ledger');
const { runScenario, installAndSettle, upgradeUnderLoad, verifyLedger, waitFor, ENTRIES } = require('../suite/scenario');

const MODES = [
  { n: 6, id: 's6-sidecar', binary: 'shoal-sidecar-app', values: 'values-examples/sidecar.yaml', subnet: 106 },
  { n: 7, id: 's7-embedded', binary: 'shoal-embedded-app', values: 'values-examples/embedded.yaml', subnet: 107 },
];

// The app's port as the rendered pod declares it: the first container port that is not the
// member's.
async function appPort(values) {
  const objects = await chart.renderOk({ files: [values] });
  for (const c of chart.podSpec(objects).containers) {
    const p = (c.ports || []).find((x) => x.name !== 'hazelcast');
    if (p) return p.containerPort;
  }
  throw new Error(`${values}: no app port in the rendered pod`);
}

for (const mode of MODES) {
  const binary = path.join(BUILD, mode.binary);
  const skip = platformName() === 'local' && !fs.existsSync(binary)
    ? `${binary} is not built (the example app of member/examples is not on this branch yet)` : false;
  test(`${mode.n} ${mode.binary}: /put through one pod's app, /get through another's; Deployment 3 -> 5 -> 2 under load, nothing lost`, { skip }, async (t) => {
    await runScenario(t, mode.id, `${mode.binary}: put/get across pods, scale 3 -> 5 -> 2`, { subnet: mode.subnet }, async ({ platform, report }) => {
      const release = mode.binary.replace('shoal-', '').replace('-app', '');
      const port = await appPort(mode.values);
      const values = (n) => ({ values: [mode.values], set: [`cluster.memberCount=${n}`, 'gracefulShutdown.maxWaitSeconds=120'] });
      await report.step('install and roll out 3 pods', async () => {
        await installAndSettle(platform, release, values(3), 3, 180000);
      });
      const pods = await platform.pods(release);
      const [a, b] = await Promise.all([platform.endpoint(pods[0].name, port), platform.endpoint(pods[1].name, port)]);
      // An app may answer 503 until its client has connected to its member: callers retry.
      await waitFor(`/put through ${pods[0].name}`, 30000, async () => { await CLIENTS.app.put(a, 'apps-cross', 'hello', 'from-one-pod'); return true; }, 200);
      const got = await waitFor(`/get through ${pods[1].name}`, 30000, () => CLIENTS.app.get(b, 'apps-cross', 'hello'), 200);
      assert.strictEqual(got, 'from-one-pod', `/put through ${pods[0].name}, /get through ${pods[1].name}`);
      const apps = async () => Promise.all((await platform.pods(release)).filter((p) => p.ready).map((p) => platform.endpoint(p.name, port)));
      // Reads go through the apps in another order than the writes, so most entries are read
      // through another pod than the one that wrote them.
      const readApps = async () => (await apps()).reverse();
      const ledger = new Ledger({ targets: apps, readTargets: readApps, client: 'app' });
      await report.step(`write ${ENTRIES} entries through the apps`, () => ledger.write(ENTRIES));
      await ledger.underLoad(8, async () => {
        for (const n of [5, 2]) {
          await report.step(`helm upgrade to ${n} pods (rolled out, cluster of ${n}, safe)`, () =>
            upgradeUnderLoad(platform, release, values(n), n, ledger));
        }
      });
      await verifyLedger(report, ledger);
    });
  });
}
