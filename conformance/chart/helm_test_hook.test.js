// The `helm test` hook's script, taken from the rendered Pod and run as the Pod would run it
// (/bin/sh, its env, shoalctl on PATH) against two real members on loopback addresses: it must
// pass when the cluster has the expected size and round-trips its entries, and fail, saying
// why, when the size is wrong.
'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const chart = require('./chart');

const BIN = path.dirname(chart.MEMBER);
const HOSTS = ['127.0.250.1', '127.0.250.2'];

async function startMembers(dir) {
  const config = path.join(dir, 'shoal.yaml');
  fs.writeFileSync(config, `hazelcast:\n  cluster-name: dev\n  network:\n    join:\n      tcp-ip:\n        enabled: true\n        members: [${HOSTS.join(', ')}]\n`);
  const members = HOSTS.map((host, i) => {
    const log = fs.openSync(path.join(dir, `member-${i}.log`), 'w');
    return spawn(chart.MEMBER, ['--config', config, `-Dhazelcast.local.localAddress=${host}`], {
      stdio: ['ignore', log, log], env: { PATH: process.env.PATH },
    });
  });
  for (const host of HOSTS) {
    const r = await chart.run(path.join(BIN, 'shoalctl'), ['--address', `${host}:5701`, 'health', '--wait-ready', '30']);
    assert.equal(r.code, 0, `member ${host} not ready:\n${r.stdout}${r.stderr}`);
  }
  return members;
}

// Runs the hook Pod's script with its env, pointed at the first member.
async function runHook(pod, overrides) {
  const c = pod.spec.containers[0];
  assert.deepEqual(c.command, ['/bin/sh', '-c']);
  const env = { PATH: `${BIN}:/usr/bin:/bin`, ...chart.envOf(c), SHOAL_ADDRESS: `${HOSTS[0]}:5701`, ...overrides };
  return chart.run('/bin/sh', ['-c', c.args[0]], { env });
}

test('the helm test script passes on a cluster of the expected size and fails on another', async () => {
  assert.ok(fs.existsSync(chart.MEMBER), `${chart.MEMBER} is missing: run make build first`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shoal-hook-'));
  let members = [];
  try {
    members = await startMembers(dir);
    const pod = chart.one(await chart.renderOk({ set: ['cluster.memberCount=2', 'tests.entries=25'] }), 'Pod');
    const ok = await runHook(pod, {});
    assert.equal(ok.code, 0, `the hook failed:\n${ok.stdout}${ok.stderr}`);
    assert.match(ok.stdout, /cluster size 2 \(expected 2\)/);
    assert.match(ok.stdout, /wrote and read back 25 entries/);
    assert.match(ok.stdout, /Members \{size:2/);
    const keys = await chart.run(path.join(BIN, 'shoalctl'), ['--address', `${HOSTS[1]}:5701`, 'size', 'shoal-helm-test']);
    assert.equal(keys.stdout.trim(), '0', 'the hook removes what it wrote');

    const atLeast = chart.one(await chart.renderOk({ files: ['values-examples/zone-b.yaml'], set: ['cluster.memberCount=1'] }), 'Pod');
    assert.equal((await runHook(atLeast, {})).code, 0, 'zone-aware: at least this release\'s members');

    const wrong = await runHook(pod, { EXPECTED: '3', TIMEOUT: '2' });
    assert.notEqual(wrong.code, 0, 'a cluster of 2 is not a cluster of 3');
    assert.match(wrong.stdout, /FAIL: cluster size is 2, expected 3/);
  } finally {
    for (const m of members) m.kill('SIGKILL');
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
