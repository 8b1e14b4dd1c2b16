'use strict';
// Writing entries and counting them afterwards: the evidence behind every "no data lost".
// A write counts as acknowledged only when a member answered 200; a write whose member died
// mid-request is retried on another member (puts are idempotent), as a client would.
const rest = require('./rest');
const { keyPerPartition } = require('./partitions');

const valueOf = (key) => `value-${key}`;

class Workload {
  constructor(cluster, map = 'conformance') {
    this.cluster = cluster;
    this.map = map;
    this.acknowledged = new Set();
    this.retries = 0;
    this.longestPutMs = 0; // the longest a write waited (retries included) to be acknowledged
  }

  async putOne(key) {
    const started = Date.now();
    for (let attempt = 0; attempt < 200; attempt++) {
      const members = this.cluster.running();
      if (members.length === 0) throw new Error('no member left to write to');
      const member = members[(key + attempt) % members.length];
      try {
        await rest.put(member.ip, this.map, String(key), valueOf(key));
        this.acknowledged.add(key);
        this.longestPutMs = Math.max(this.longestPutMs, Date.now() - started);
        return;
      } catch (e) {
        this.retries += 1;
        await new Promise((r) => setTimeout(r, 20));
      }
    }
    throw new Error(`put of key ${key} failed 200 times`);
  }

  // Writes keys [from, to) with `concurrency` requests in flight.
  async write(from, to, concurrency = 48) {
    await rest.parallel(to - from, concurrency, (i) => this.putOne(from + i));
  }

  // Writes keys from `from` on until stop() is called; resolves to the next unwritten key.
  writeUntilStopped(from, concurrency = 16) {
    this.stopped = false;
    let next = from;
    const workers = Array.from({ length: concurrency }, async () => {
      while (!this.stopped) await this.putOne(next++);
    });
    return Promise.all(workers).then(() => next);
  }

  stop() {
    this.stopped = true;
  }

  // Reads one key of every partition at once through the running members, retrying a read
  // whose member failed, and resolves when every partition has answered: started right after
  // a crash, it measures how long the crashed member's partitions went unserved.
  async readEveryPartition(partitionCount = 271) {
    const keys = keyPerPartition('probe-', partitionCount);
    await Promise.all(keys.map(async (key, p) => {
      for (let attempt = 0; ; attempt++) {
        const members = this.cluster.running();
        try {
          await rest.get(members[(p + attempt) % members.length].ip, this.map, key);
          return;
        } catch (e) {
          if (attempt >= 200) throw new Error(`partition ${p} (key ${key}) never answered: ${e.message}`);
          await new Promise((r) => setTimeout(r, 20));
        }
      }
    }));
  }

  // Reads every acknowledged key from the running members (spread over all of them) and
  // returns the keys missing or wrong.
  async verify(concurrency = 48) {
    const keys = [...this.acknowledged];
    const bad = [];
    await rest.parallel(keys.length, concurrency, async (i) => {
      const members = this.cluster.running();
      const member = members[i % members.length];
      const value = await rest.get(member.ip, this.map, String(keys[i]));
      if (value !== valueOf(keys[i])) bad.push({ key: keys[i], value, member: member.name });
    });
    return { checked: keys.length, bad };
  }
}

module.exports = { Workload };
