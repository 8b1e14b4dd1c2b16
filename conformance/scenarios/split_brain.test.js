'use strict';
// Split brain healed: two clusters of the same name (3 and 2 members) that cannot see each
// other are written to separately; once DNS shows every pod to every member, the smaller one
// merges into the larger. Every entry of both survives, and keys written on both sides keep
// the larger cluster's value (PUT_IF_ABSENT).
const test = require('node:test');
const assert = require('node:assert');
const { LocalCluster, waitFor, SERVICE_DNS } = require('../platform/local/local_cluster');
const rest = require('../platform/local/rest');

const ENTRIES = Number(process.env.SHOAL_CONFORMANCE_ENTRIES || 100000);

test('two clusters of one name that see each other become one, losing no entry', async (t) => {
  const large = await new LocalCluster({ discovery: 'dns', subnet: 91 }).start();
  const small = await new LocalCluster({ discovery: 'dns', subnet: 92 }).start();
  t.after(async () => { await large.close(); await small.close(); });
  const all = () => [...large.running(), ...small.running()];
  try {
    for (let i = 0; i < 3; i++) large.addMember();
    for (let i = 0; i < 2; i++) small.addMember();
    await large.waitForSize(3);
    await small.waitForSize(2);
    // Keys [0, 60%) in the large cluster, [40%, 100%) in the small one: the middle is on both.
    const largeEnd = Math.floor(ENTRIES * 0.6);
    const smallStart = Math.floor(ENTRIES * 0.4);
    const write = (cluster, from, to, prefix) => rest.parallel(to - from, 48, async (i) => {
      const members = cluster.running();
      await rest.put(members[i % members.length].ip, 'split', String(from + i), `${prefix}-${from + i}`);
    });
    await write(large, 0, largeEnd, 'large');
    await write(small, smallStart, ENTRIES, 'small');

    const started = Date.now();
    const everyone = all().map((m) => m.ip);
    large.dns.set(SERVICE_DNS, everyone);
    small.dns.set(SERVICE_DNS, everyone);
    await waitFor('one cluster of 5', 60000, async () => {
      const sizes = await Promise.all(all().map(async (m) => (await rest.health(m.ip)).clusterSize));
      return sizes.every((s) => s === 5);
    }, 200);
    await waitFor('the merge to finish on both members of the small cluster', 60000,
      () => small.running().every((m) => /split brain merge of \d+ entries done/.test(m.log())));
    t.diagnostic(`merged in ${Date.now() - started} ms`);

    const members = all();
    const wrong = [];
    await rest.parallel(ENTRIES, 48, async (k) => {
      const expected = k < largeEnd ? `large-${k}` : `small-${k}`;
      const value = await rest.get(members[k % members.length].ip, 'split', String(k));
      if (value !== expected) wrong.push({ k, value, expected });
    });
    assert.deepStrictEqual(wrong.slice(0, 10), [], `${wrong.length} of ${ENTRIES} entries missing or wrong after the merge`);
    const kept = small.running().map((m) => Number(/(\d+) kept the larger cluster's value/.exec(m.log())[1]));
    assert.strictEqual(kept.reduce((a, b) => a + b, 0), largeEnd - smallStart, 'every conflicting key is counted as kept');
  } catch (e) {
    e.message += `\n${large.logs().slice(-100000)}\n${small.logs().slice(-100000)}`;
    throw e;
  }
});

test('a member paused past the heartbeat timeout is removed, then merges back when it resumes: nothing lost', async (t) => {
  const cluster = await new LocalCluster({ discovery: 'kubernetes', subnet: 93 }).start();
  t.after(() => cluster.close());
  try {
    for (let i = 0; i < 3; i++) cluster.addMember();
    await cluster.waitForSize(3);
    await cluster.waitForSafe();
    const half = Math.floor(ENTRIES / 2);
    const writeTo = (members, from, to) => rest.parallel(to - from, 48, async (i) => {
      await rest.put(members[i % members.length].ip, 'pause', String(from + i), `v-${from + i}`);
    });
    await writeTo(cluster.members, 0, half);
    await cluster.waitForSafe();
    // A long GC pause or a network blip: the process stops answering but does not die.
    const [a, b, paused] = cluster.members;
    process.kill(paused.child.pid, 'SIGSTOP');
    t.after(() => paused.running && process.kill(paused.child.pid, 'SIGCONT'));
    await waitFor('the others to remove the paused member', 30000, async () => {
      const sizes = await Promise.all([a, b].map(async (m) => (await rest.health(m.ip)).clusterSize));
      return sizes.every((s) => s === 2);
    }, 200);
    await writeTo([a, b], half, ENTRIES);
    process.kill(paused.child.pid, 'SIGCONT');
    await cluster.waitForSize(3, 60000);
    await waitFor('the resumed member to merge its entries back', 60000, () => /split brain merge of \d+ entries done/.test(paused.log()));
    assert.match(paused.log(), /was paused for \d+ ms: not counting that silence/);
    assert.match(paused.log(), /the master no longer counts this member/);
    await cluster.waitForSafe();
    const wrong = [];
    await rest.parallel(ENTRIES, 48, async (k) => {
      const value = await rest.get(cluster.members[k % 3].ip, 'pause', String(k));
      if (value !== `v-${k}`) wrong.push({ k, value });
    });
    assert.deepStrictEqual(wrong.slice(0, 10), [], `${wrong.length} of ${ENTRIES} entries missing or wrong`);
  } catch (e) {
    e.message += `\n${cluster.logs().slice(-150000)}`;
    throw e;
  }
});
