'use strict';
// The evidence behind every "no data lost": a ledger of every acknowledged write. Entries go to
// several maps with checksummed values; a write counts as acknowledged only once a member (or an
// app) answered 200, and a write that failed is retried on another target, as a client would
// (puts are idempotent). At the end every acknowledged entry is read back: absent is lost, a
// value that fails its checksum or differs from the acknowledged one is corrupted.
const crypto = require('node:crypto');
const http = require('node:http');
const { keyPerPartition } = require('../platform/local/partitions');

const MAPS = ['ledger-orders', 'ledger-users', 'ledger-sessions', 'ledger-events'];
const agent = new http.Agent({ keepAlive: true, maxSockets: 96 });
const { sleep } = require('../platform/wait');

const checksum = (text) => crypto.createHash('sha1').update(text).digest('hex').slice(0, 12);

// "<map>/<key>/<payload>#<checksum>": the checksum covers map, key and payload, so a value
// served under the wrong key or truncated is caught.
function valueFor(map, key) {
  const payload = crypto.createHash('md5').update(`${map}/${key}`).digest('base64').repeat(2);
  const body = `${map}/${key}/${payload}`;
  return `${body}#${checksum(body)}`;
}

function intact(value) {
  const at = value.lastIndexOf('#');
  return at > 0 && checksum(value.slice(0, at)) === value.slice(at + 1);
}

function request(endpoint, method, path, body = null, timeoutMs = 10000) {
  const [host, port] = endpoint.split(':');
  return new Promise((resolve, reject) => {
    const req = http.request({
      host, port: Number(port), method, path, agent, timeout: timeoutMs,
      headers: body === null ? {} : { 'Content-Type': 'text/plain', 'Content-Length': Buffer.byteLength(body) },
    }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c) => { text += c; });
      res.on('end', () => resolve({ status: res.statusCode, body: text }));
    });
    req.on('timeout', () => req.destroy(new Error(`${method} ${path} on ${endpoint} timed out`)));
    req.on('error', reject);
    if (body !== null) req.write(body);
    req.end();
  });
}

// How entries reach the grid: the member's REST API, or an app's /put and /get.
const CLIENTS = {
  rest: {
    path: (map, key) => `/hazelcast/rest/maps/${encodeURIComponent(map)}/${encodeURIComponent(key)}`,
    async put(endpoint, map, key, value) {
      const res = await request(endpoint, 'POST', this.path(map, key), value);
      if (res.status !== 200) throw new Error(`put ${map}[${key}] on ${endpoint}: ${res.status} ${res.body}`);
    },
    async get(endpoint, map, key) {
      const res = await request(endpoint, 'GET', this.path(map, key));
      if (res.status === 204 || res.status === 404) return null;
      if (res.status !== 200) throw new Error(`get ${map}[${key}] on ${endpoint}: ${res.status} ${res.body}`);
      return res.body;
    },
  },
  app: {
    query: (map, key) => `map=${encodeURIComponent(map)}&key=${encodeURIComponent(key)}`,
    async put(endpoint, map, key, value) {
      const res = await request(endpoint, 'GET', `/put?${this.query(map, key)}&value=${encodeURIComponent(value)}`);
      if (res.status !== 200) throw new Error(`app put ${map}[${key}] on ${endpoint}: ${res.status} ${res.body}`);
    },
    async get(endpoint, map, key) {
      const res = await request(endpoint, 'GET', `/get?${this.query(map, key)}`);
      if (res.status === 404 || res.status === 204) return null;
      if (res.status !== 200) throw new Error(`app get ${map}[${key}] on ${endpoint}: ${res.status} ${res.body}`);
      // shoal-sidecar-app answers {"map", "key", "value"}; a plain-text body is the value itself.
      if (res.body.startsWith('{')) {
        const value = JSON.parse(res.body).value;
        return value === null || value === undefined ? null : String(value);
      }
      return res.body;
    },
  },
};

class Ledger {
  // targets(): the endpoints ("host:port") to spread requests over, asked again every
  // refreshMs (pods come and go); client: 'rest' or 'app', or {put, get}; readTargets: where
  // reads go when they differ (a sidecar scenario writes through one app and reads through another).
  constructor({ targets, readTargets = null, client = 'rest', maps = MAPS, refreshMs = 250, writeDeadlineMs = 60000 }) {
    this.targetsOf = targets;
    this.readTargetsOf = readTargets || targets;
    this.client = typeof client === 'string' ? CLIENTS[client] : client;
    this.maps = maps;
    this.refreshMs = refreshMs;
    this.writeDeadlineMs = writeDeadlineMs;
    this.written = 0;
    this.acknowledged = new Map(); // "map\u0000key" -> value acknowledged
    this.unacknowledged = 0; // writes given up on (never answered 200 within the deadline)
    this.retries = 0;
    this.longestWriteMs = 0;
    this.next = 0;
    this.cache = { write: { at: 0, list: [] }, read: { at: 0, list: [] } };
  }

  async targets(kind = 'write') {
    const c = this.cache[kind];
    if (Date.now() - c.at > this.refreshMs || c.list.length === 0) {
      try {
        c.list = await (kind === 'write' ? this.targetsOf() : this.readTargetsOf());
      } catch (e) {
        c.list = [];
      }
      c.at = Date.now();
    }
    return c.list;
  }

  entry(i) {
    const map = this.maps[i % this.maps.length];
    const key = `k${i}`;
    return { map, key, value: valueFor(map, key) };
  }

  async putOne(i) {
    const { map, key, value } = this.entry(i);
    this.written += 1;
    const started = Date.now();
    for (let attempt = 0; ; attempt++) {
      const targets = await this.targets('write');
      if (targets.length > 0) {
        const endpoint = targets[(i + attempt) % targets.length];
        try {
          await this.client.put(endpoint, map, key, value);
          this.acknowledged.set(`${map}\u0000${key}`, value);
          this.longestWriteMs = Math.max(this.longestWriteMs, Date.now() - started);
          return true;
        } catch (e) {
          this.lastError = e.message;
        }
      }
      this.retries += 1;
      if (Date.now() - started > this.writeDeadlineMs) {
        this.unacknowledged += 1;
        return false;
      }
      this.cache.write.at = 0;
      await sleep(20 + Math.min(attempt, 10) * 10);
    }
  }

  // Writes `count` new entries with `concurrency` in flight.
  async write(count, concurrency = 48) {
    const from = this.next;
    this.next += count;
    let n = 0;
    await Promise.all(Array.from({ length: Math.min(concurrency, count) }, async () => {
      while (n < count) await this.putOne(from + n++);
    }));
  }

  // Writes new entries until stop(); resolves when the writers have finished.
  startLoad(concurrency = 12) {
    this.stopped = false;
    this.load = Promise.all(Array.from({ length: concurrency }, async () => {
      while (!this.stopped) await this.putOne(this.next++);
    }));
    return this.load;
  }

  async stopLoad() {
    this.stopped = true;
    await this.load;
  }

  // Runs `body` while writers add new entries; they stop however `body` ends, so a failed step
  // never leaves them retrying against a closed cluster and keeping the test process alive.
  async underLoad(concurrency, body) {
    this.startLoad(concurrency);
    try {
      return await body();
    } finally {
      await this.stopLoad();
    }
  }

  // One key of each of the 271 partitions, read at once; resolves (in ms since `since`) when
  // every partition has answered: started right after a crash, it measures how long the
  // crashed member's partitions went unserved.
  async everyPartitionServed(since, partitionCount = 271, deadlineMs = 60000) {
    const keys = keyPerPartition('probe-', partitionCount);
    await Promise.all(keys.map(async (key, p) => {
      for (let attempt = 0; ; attempt++) {
        const targets = await this.targets('read');
        try {
          if (targets.length === 0) throw new Error('no target');
          await CLIENTS.rest.get(targets[(p + attempt) % targets.length], this.maps[0], key);
          return;
        } catch (e) {
          if (Date.now() - since > deadlineMs) throw new Error(`partition ${p} (key ${key}) never answered: ${e.message}`);
          this.cache.read.at = 0;
          await sleep(20);
        }
      }
    }));
    return Date.now() - since;
  }

  // Reads back every acknowledged entry; a read that fails is retried (on another target) for
  // up to 30 s before the entry counts as lost.
  async verify(concurrency = 48) {
    const entries = [...this.acknowledged];
    const lost = [];
    const corrupted = [];
    let n = 0;
    const started = Date.now();
    await Promise.all(Array.from({ length: Math.min(concurrency, entries.length) }, async () => {
      while (n < entries.length) {
        const i = n++;
        const [id, expected] = entries[i];
        const [map, key] = id.split('\u0000');
        let value;
        for (let attempt = 0; ; attempt++) {
          const targets = await this.targets('read');
          try {
            if (targets.length === 0) throw new Error('no target to read from');
            value = await this.client.get(targets[(i + attempt) % targets.length], map, key);
            break;
          } catch (e) {
            if (attempt > 300) { value = null; break; }
            this.cache.read.at = 0;
            await sleep(100);
          }
        }
        if (value === null) lost.push({ map, key });
        else if (!intact(value) || value !== expected) corrupted.push({ map, key, value: value.slice(0, 80) });
      }
    }));
    this.verified = { lost, corrupted, readMs: Date.now() - started };
    return this.counts();
  }

  counts() {
    const v = this.verified || { lost: [], corrupted: [] };
    return {
      written: this.written,
      acknowledged: this.acknowledged.size,
      lost: v.lost.length,
      corrupted: v.corrupted.length,
      unacknowledged: this.unacknowledged,
      retries: this.retries,
      maps: this.maps.length,
      longestWriteMs: this.longestWriteMs,
      examples: [...v.lost.slice(0, 5), ...v.corrupted.slice(0, 5)],
    };
  }
}

module.exports = { Ledger, valueFor, intact, MAPS, CLIENTS, request };
