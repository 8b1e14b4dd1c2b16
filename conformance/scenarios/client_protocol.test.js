'use strict';
// The official Hazelcast Node.js client (npm hazelcast-client) against three Shoal members:
// smart routing and unisocket, every map operation Shoal serves with string, integer and JSON
// values, key locks between two clients, errors for what it does not serve, and no acknowledged write lost while a member is
// SIGKILLed and another joins.
const test = require('node:test');
const assert = require('node:assert');
const { Client, HazelcastJsonValue } = require('hazelcast-client');
const { LocalCluster, waitFor } = require('../platform/local/local_cluster');
const rest = require('../platform/local/rest');

const PARTITIONS = 271;

async function withCluster(t, options, body) {
  const cluster = await new LocalCluster(options).start();
  t.after(() => cluster.close());
  try {
    await body(cluster);
  } catch (e) {
    e.message += `\n${cluster.logs().slice(-100000)}`;
    throw e;
  }
}

async function connect(cluster, { smartRouting, members }) {
  const client = await Client.newHazelcastClient({
    clusterName: 'dev',
    network: { clusterMembers: (members || cluster.running()).map((m) => `${m.ip}:5701`), smartRouting },
    serialization: { defaultNumberType: 'integer' },
    connectionStrategy: { connectionRetry: { clusterConnectTimeoutMillis: 20000 } },
    properties: { 'hazelcast.logging.level': 'ERROR', 'hazelcast.client.invocation.timeout.millis': 30000 },
  });
  return client;
}

// The client's view of the cluster: every member, every partition owned by one of them.
async function expectClusterView(client, size) {
  await waitFor(`the client to see ${size} members and every partition owner`, 20000, () => {
    const uuids = new Set(client.getCluster().getMembers().map((m) => m.uuid.toString()));
    if (uuids.size !== size) return false;
    const partitions = client.getPartitionService();
    if (partitions.getPartitionCount() !== PARTITIONS) return false;
    for (let p = 0; p < PARTITIONS; p++) {
      const owner = partitions.getPartitionOwner(p);
      if (!owner || !uuids.has(owner.toString())) return false;
    }
    return true;
  });
}

// Value kinds: each makes the i-th key and value of its type.
const KINDS = {
  string: { key: (i) => `key-${i}`, value: (i) => `value-${i}` },
  integer: { key: (i) => 1000 + i, value: (i) => i * 7 },
  json: { key: (i) => `json-${i}`, value: (i) => new HazelcastJsonValue(JSON.stringify({ id: i, tags: ['a', i] })) },
};

// HazelcastJsonValue comes back as parsed JSON by default; compare by content.
function normal(v) {
  if (v instanceof HazelcastJsonValue) return JSON.parse(v.toString());
  return v;
}
function sortedPairs(pairs) {
  return pairs.map(([k, v]) => [k, normal(v)]).sort((a, b) => String(a[0]).localeCompare(String(b[0])));
}

async function exerciseMap(client, mapName, kind) {
  const { key, value } = KINDS[kind];
  const map = await client.getMap(mapName);
  const v = (i) => normal(value(i));

  assert.strictEqual(await map.put(key(1), value(1)), null, 'put of a new key returns null');
  assert.deepStrictEqual(normal(await map.put(key(1), value(2))), v(1), 'put returns the previous value');
  assert.deepStrictEqual(normal(await map.get(key(1))), v(2));
  assert.strictEqual(await map.get(key(999)), null, 'get of a missing key');
  await map.set(key(2), value(2));
  assert.deepStrictEqual(normal(await map.get(key(2))), v(2), 'set');
  assert.strictEqual(await map.containsKey(key(2)), true);
  assert.strictEqual(await map.containsKey(key(999)), false);
  assert.strictEqual(await map.containsValue(value(2)), true);
  assert.strictEqual(await map.containsValue(value(999)), false);
  assert.strictEqual(await map.size(), 2);
  assert.strictEqual(await map.isEmpty(), false);

  assert.strictEqual(await map.putIfAbsent(key(3), value(3)), null, 'putIfAbsent of a new key');
  assert.deepStrictEqual(normal(await map.putIfAbsent(key(3), value(4))), v(3), 'putIfAbsent keeps the value');
  assert.deepStrictEqual(normal(await map.replace(key(3), value(5))), v(3), 'replace returns the old value');
  assert.strictEqual(await map.replace(key(998), value(5)), null, 'replace of a missing key');
  assert.strictEqual(await map.replaceIfSame(key(3), value(5), value(6)), true);
  assert.strictEqual(await map.replaceIfSame(key(3), value(5), value(7)), false);
  assert.deepStrictEqual(normal(await map.get(key(3))), v(6));

  assert.deepStrictEqual(normal(await map.remove(key(3))), v(6), 'remove returns the value');
  assert.strictEqual(await map.remove(key(3)), null);
  await map.set(key(4), value(4));
  assert.strictEqual(await map.remove(key(4), value(5)), false, 'removeIfSame with another value');
  assert.strictEqual(await map.remove(key(4), value(4)), true, 'removeIfSame');
  await map.set(key(5), value(5));
  await map.delete(key(5));
  assert.strictEqual(await map.containsKey(key(5)), false, 'delete');

  const pairs = [];
  for (let i = 10; i < 60; i++) pairs.push([key(i), value(i)]);
  await map.putAll(pairs);
  assert.strictEqual(await map.size(), 52);
  const some = [key(10), key(33), key(59), key(997)];
  assert.deepStrictEqual(sortedPairs(await map.getAll(some)),
    sortedPairs([[key(10), value(10)], [key(33), value(33)], [key(59), value(59)]]), 'getAll');
  const expected = [[key(1), value(2)], [key(2), value(2)], ...pairs];
  assert.deepStrictEqual(sortedPairs(await map.entrySet()), sortedPairs(expected), 'entrySet');
  assert.deepStrictEqual((await map.keySet()).map(String).sort(), expected.map(([k]) => String(k)).sort(), 'keySet');
  assert.deepStrictEqual((await map.values()).toArray().map((x) => JSON.stringify(normal(x))).sort(),
    expected.map(([, x]) => JSON.stringify(normal(x))).sort(), 'values');

  // TTL and max-idle variants: each entry is there, then expires.
  await map.put(key(70), value(70), 400);
  await map.put(key(71), value(71), 0, 400); // putWithMaxIdle
  await map.set(key(72), value(72), 400);
  await map.set(key(73), value(73), 0, 400); // setWithMaxIdle
  await map.putIfAbsent(key(74), value(74), 400);
  await map.putIfAbsent(key(75), value(75), 0, 400); // putIfAbsentWithMaxIdle
  await map.putTransient(key(76), value(76), 400);
  await map.putTransient(key(77), value(77), 0, 400); // putTransientWithMaxIdle
  await map.set(key(78), value(78));
  assert.strictEqual(await map.setTtl(key(78), 400), true, 'setTtl of a present key');
  assert.strictEqual(await map.setTtl(key(996), 400), false, 'setTtl of a missing key');
  for (let i = 70; i <= 78; i++) assert.deepStrictEqual(normal(await map.get(key(i))), v(i), `entry ${i} before expiry`);
  await waitFor('every TTL / max-idle entry to expire', 10000, async () => {
    for (let i = 70; i <= 78; i++) if ((await map.get(key(i))) !== null) return false;
    return true;
  }, 200);

  assert.strictEqual(await map.tryPut(key(80), value(80), 1000), true, 'tryPut');
  assert.strictEqual(await map.tryRemove(key(80), 1000), true, 'tryRemove');
  assert.strictEqual(await map.tryRemove(key(80), 1000), false, 'tryRemove of a missing key');
  await map.set(key(81), value(81));
  assert.strictEqual(await map.evict(key(81)), true, 'evict');
  assert.strictEqual(await map.evict(key(81)), false, 'evict of a missing key');
  await map.flush();
  await map.evictAll();
  assert.strictEqual(await map.size(), 0, 'evictAll');
  await map.putAll(pairs.slice(0, 5));
  await map.clear();
  assert.strictEqual(await map.isEmpty(), true, 'clear');
}

// Key locks between two clients (each client is its own lock owner): reentrant, tryLock with
// and without a timeout, the owner writes while others wait, unlock by a non-owner is
// IllegalMonitorState, leases, forceUnlock, and a departed client's locks are released.
async function expectLocks(connectClient) {
  const a = await connectClient();
  const b = await connectClient();
  try {
    const ma = await a.getMap('locks');
    const mb = await b.getMap('locks');
    await ma.put('k', 'v0');
    await ma.lock('k');
    assert.strictEqual(await mb.isLocked('k'), true, 'isLocked for another client');
    await ma.lock('k'); // reentrant: held twice
    assert.strictEqual(await mb.tryLock('k'), false, 'tryLock of a key locked by another client');
    let started = Date.now();
    assert.strictEqual(await mb.tryLock('k', 300), false, 'tryLock with a timeout gives up');
    assert.ok(Date.now() - started >= 250, `tryLock waited its timeout (${Date.now() - started} ms)`);
    await ma.put('k', 'v1'); // the owner writes at once
    assert.strictEqual(await mb.tryPut('k', 'x', 100), false, 'tryPut of another client waits, then gives up');
    await assert.rejects(mb.unlock('k'), (e) => /IllegalMonitorState/.test(`${e.constructor.name} ${e.message}`),
      'unlock by a non-owner');
    const waitingPut = mb.put('k', 'v2'); // waits for the lock
    await new Promise((r) => setTimeout(r, 200));
    await ma.unlock('k');
    await new Promise((r) => setTimeout(r, 200));
    assert.strictEqual(await ma.get('k'), 'v1', 'still locked after one of two unlocks');
    await ma.unlock('k');
    assert.strictEqual(await waitingPut, 'v1', 'the waiting put goes through once the lock is released');
    assert.strictEqual(await ma.isLocked('k'), false);

    await ma.lock('k', 300); // a 300 ms lease
    started = Date.now();
    assert.strictEqual(await mb.tryLock('k', 5000), true, 'the lock is free once its lease ends');
    assert.ok(Date.now() - started >= 150, 'tryLock waited for the lease');
    await ma.forceUnlock('k');
    assert.strictEqual(await ma.isLocked('k'), false, 'forceUnlock releases another owner\'s lock');

    await ma.lock('gone');
    const waitingLock = mb.lock('gone');
    await new Promise((r) => setTimeout(r, 200));
    await a.shutdown(); // its locks are released; the waiting client gets this one
    await waitingLock;
    assert.strictEqual(await mb.isLocked('gone'), true);
    await mb.unlock('gone');
  } finally {
    await a.shutdown().catch(() => {});
    await b.shutdown();
  }
}

// Entry listeners. Smart clients register on every member, each reporting the entries it owns;
// a unisocket client registers once, cluster-wide, and its member gathers the others' events.
// Either way every event names the member that owns its key, and the keys span every member.
async function expectEntryEvents(client) {
  const map = await client.getMap('events');
  const seen = [];
  const sources = new Set();
  const record = (type) => (e) => {
    seen.push([type, e.key, normal(e.value), normal(e.oldValue)]);
    if (e.member) sources.add(e.member.uuid.toString());
  };
  const id = await map.addEntryListener({ added: record('added'), updated: record('updated'), removed: record('removed') },
    undefined, true);
  const keyed = [];
  await map.addEntryListener({ added: (e) => keyed.push(e.key) }, 'key-7', false);
  const expected = [];
  for (let i = 0; i < 20; i++) {
    await map.put(`key-${i}`, i);
    expected.push(['added', `key-${i}`, i, null]);
  }
  await map.put('key-3', 33);
  expected.push(['updated', 'key-3', 33, 3]);
  await map.remove('key-4');
  expected.push(['removed', 'key-4', null, 4]);
  await map.putIfAbsent('key-5', 55); // present already: no event
  const sort = (list) => [...list].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
  await waitFor('every entry event', 10000, () => seen.length >= expected.length, 50);
  assert.deepStrictEqual(sort(seen), sort(expected), 'ADDED, UPDATED and REMOVED events with values');
  assert.deepStrictEqual(keyed, ['key-7'], 'a key listener hears of its key only');
  const owners = new Set();
  for (let i = 0; i < 20; i++) {
    const partition = client.getPartitionService().getPartitionId(`key-${i}`);
    owners.add(client.getPartitionService().getPartitionOwner(partition).toString());
  }
  assert.strictEqual(owners.size, 3, 'the keys are spread over the three members');
  assert.deepStrictEqual([...sources].sort(), [...owners].sort(), 'events fired by every member that owns a key');
  assert.strictEqual(await map.removeEntryListener(id), true);
  await map.put('key-99', 99);
  await map.put('key-7', 77); // the key listener has no UPDATED handler
  assert.strictEqual(await map.get('key-99'), 99);
  assert.strictEqual(seen.length, expected.length, 'no event after removeEntryListener');

  // EVICTED for evict, EXPIRED when an entry's TTL runs out, both with the old value.
  const aging = await client.getMap('events-aging');
  const aged = [];
  await aging.addEntryListener({
    evicted: (e) => aged.push(['evicted', e.key, e.value, e.oldValue]),
    expired: (e) => aged.push(['expired', e.key, e.value, e.oldValue]),
    removed: (e) => aged.push(['removed', e.key]),
  }, undefined, true);
  const agedExpected = [];
  for (let i = 0; i < 10; i++) {
    await aging.set(`e-${i}`, `v-${i}`);
    await aging.evict(`e-${i}`);
    agedExpected.push(['evicted', `e-${i}`, null, `v-${i}`]);
  }
  for (let i = 0; i < 10; i++) {
    await aging.set(`x-${i}`, `w-${i}`, 200);
    agedExpected.push(['expired', `x-${i}`, null, `w-${i}`]);
  }
  await waitFor('EVICTED and EXPIRED events', 10000, () => aged.length >= agedExpected.length, 50);
  await new Promise((r) => setTimeout(r, 300)); // nothing more (no REMOVED, no second EXPIRED)
  assert.deepStrictEqual(sort(aged), sort(agedExpected), 'EVICTED and EXPIRED events with their old values');

  // clear and evictAll: one CLEAR_ALL / EVICT_ALL map event each, counting the entries removed.
  const clearing = await client.getMap('events-clearing');
  const mapEvents = [];
  await clearing.addEntryListener({
    mapCleared: (e) => mapEvents.push(['cleared', e.numberOfAffectedEntries]),
    mapEvicted: (e) => mapEvents.push(['evicted', e.numberOfAffectedEntries]),
  });
  for (let i = 0; i < 20; i++) await clearing.set(`c-${i}`, i);
  await clearing.clear();
  await clearing.evictAll(); // nothing left: no event
  await clearing.set('c-x', 1);
  await clearing.evictAll();
  await waitFor('CLEAR_ALL and EVICT_ALL events', 10000, () => mapEvents.length >= 2, 50);
  await new Promise((r) => setTimeout(r, 300));
  assert.deepStrictEqual(mapEvents, [['cleared', 20], ['evicted', 1]], 'one map event per clear / evictAll');
}

for (const smartRouting of [true, false]) {
  const mode = smartRouting ? 'smart routing' : 'unisocket';
  test(`Node.js client (${mode}) on three members: every served map operation`, async (t) => {
    await withCluster(t, { subnet: smartRouting ? 91 : 92 }, async (cluster) => {
      for (let i = 0; i < 3; i++) cluster.addMember();
      await cluster.waitForSize(3);
      const client = await connect(cluster, { smartRouting });
      t.after(() => client.shutdown());
      await expectClusterView(client, 3);
      if (smartRouting) {
        await waitFor('a connection to every member', 10000, () => client.connectionRegistry.getConnections().length === 3);
      } else {
        assert.strictEqual(client.connectionRegistry.getConnections().length, 1, 'unisocket uses one connection');
      }
      for (const kind of Object.keys(KINDS)) await exerciseMap(client, `client-${kind}`, kind);

      // Stored as the client's bytes: a string written by the client reads back over REST.
      const map = await client.getMap('interop');
      await map.put('city', 'Paris');
      for (const m of cluster.running()) assert.strictEqual(await rest.get(m.ip, 'interop', 'city'), 'Paris');
      await rest.put(cluster.running()[0].ip, 'interop', 'river', 'Seine');
      assert.strictEqual(await map.get('river'), 'Seine', 'a REST write reads back through the client');

      // Every member lists the same objects (the proxies created through any member, the maps
      // with entries): asked through a unisocket client of each member.
      const names = (await client.getDistributedObjects()).map((o) => o.getName()).sort();
      for (const name of ['interop', 'client-string', 'client-integer', 'client-json']) {
        assert.ok(names.includes(name), `getDistributedObjects lists ${name} (${names})`);
      }
      await client.getMap('proxy-only'); // a proxy without entries
      for (const member of cluster.running()) {
        const one = await connect(cluster, { smartRouting: false, members: [member] });
        try {
          await waitFor(`member ${member.ip} to list the same objects`, 10000, async () => {
            const theirs = (await one.getDistributedObjects()).map((o) => o.getName()).sort();
            return JSON.stringify(theirs) === JSON.stringify([...names, 'proxy-only'].sort());
          }, 100);
        } finally {
          await one.shutdown();
        }
      }

      await expectEntryEvents(client);

      await expectLocks(() => connect(cluster, { smartRouting }));

      // What Shoal does not serve is an error response naming the call; the connection stays.
      await assert.rejects(map.addIndex({ type: 'SORTED', attributes: ['age'] }), /Map\.addIndex .* is not supported/);
      assert.strictEqual(await map.get('city'), 'Paris', 'the connection survives an unsupported call');
    });
  });
}

test('Node.js client writes while a member is SIGKILLed and another joins: no acknowledged write lost', async (t) => {
  await withCluster(t, { subnet: 93 }, async (cluster) => {
    for (let i = 0; i < 3; i++) cluster.addMember();
    await cluster.waitForSize(3);
    await cluster.waitForSafe();
    const client = await connect(cluster, { smartRouting: true });
    t.after(() => client.shutdown());
    await expectClusterView(client, 3);
    const map = await client.getMap('failover');
    const acknowledged = new Set();
    let failed = 0;
    let next = 0;
    let stopped = false;
    const writers = Array.from({ length: 16 }, async () => {
      while (!stopped) {
        const k = next++;
        try {
          await map.set(k, k * 3);
          acknowledged.add(k);
        } catch (e) {
          failed += 1; // not acknowledged: the client was told, so it is not counted
          await new Promise((r) => setTimeout(r, 20));
        }
      }
    });
    // The writers stop however this ends: left running after a failed wait they kept the test
    // file's process alive (a retry every 20 ms against a closed cluster) until CI's timeout.
    try {
      await waitFor('writes before the crash', 10000, () => acknowledged.size >= 2000, 50);
      await cluster.members[1].kill('SIGKILL');
      await cluster.waitForSize(2);
      cluster.addMember();
      await cluster.waitForSize(3);
      await cluster.waitForSafe();
      await expectClusterView(client, 3);
      const before = acknowledged.size;
      await waitFor('writes after the join', 10000, () => acknowledged.size >= before + 2000, 50);
    } finally {
      stopped = true;
      await Promise.all(writers);
    }
    t.diagnostic(`${acknowledged.size} writes acknowledged, ${failed} failed and were not counted`);

    const keys = [...acknowledged];
    const lost = [];
    for (let i = 0; i < keys.length; i += 500) {
      const batch = keys.slice(i, i + 500);
      const found = new Map(await map.getAll(batch));
      for (const k of batch) if (found.get(k) !== k * 3) lost.push(k);
    }
    assert.deepStrictEqual(lost.slice(0, 10), [], `${lost.length} of ${keys.length} acknowledged writes lost`);
    // A write whose answer was lost with the killed member may have been applied anyway: there
    // may be more entries than acknowledged writes, never fewer.
    assert.ok((await map.size()) >= keys.length, 'the map holds at least every acknowledged write');
  });
});

