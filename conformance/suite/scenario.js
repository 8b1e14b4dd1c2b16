'use strict';
// A conformance scenario's frame: a platform of its own, a report (pass/fail, the ledger's
// counts, measured durations) written as text and JSON under the results directory, and the
// platform's logs attached to a failure.
const assert = require('node:assert');
const fs = require('node:fs');
const path = require('node:path');
const { createPlatform, platformName } = require('../platform/interface');
const { waitFor, sleep } = require('../platform/wait');

const RESULTS = process.env.SHOAL_CONFORMANCE_RESULTS || path.resolve(__dirname, '..', 'results');
const ENTRIES = Number(process.env.SHOAL_CONFORMANCE_ENTRIES || 100000);

class Report {
  constructor(id, title) {
    this.id = id;
    this.title = title;
    this.platform = platformName();
    this.started = Date.now();
    this.steps = [];
    this.measures = {};
    this.notes = [];
    this.counts = null;
  }

  // Runs fn and records how long it took.
  async step(name, fn) {
    const started = Date.now();
    try {
      return await fn();
    } finally {
      this.steps.push({ name, ms: Date.now() - started });
    }
  }

  measure(name, value) {
    this.measures[name] = value;
  }

  note(text) {
    this.notes.push(text);
  }

  text() {
    const lines = [`${this.status.toUpperCase()}  ${this.id}: ${this.title}  [${this.platform}, ${((this.ended - this.started) / 1000).toFixed(1)} s]`];
    if (this.counts) {
      const c = this.counts;
      lines.push(`  entries: written ${c.written}, acknowledged ${c.acknowledged}, lost ${c.lost}, corrupted ${c.corrupted}` +
        ` (${c.maps} maps; ${c.unacknowledged} never acknowledged, ${c.retries} retries, longest write ${c.longestWriteMs} ms)`);
      for (const e of c.examples || []) lines.push(`    bad: ${JSON.stringify(e)}`);
    }
    for (const s of this.steps) lines.push(`  step ${s.name}: ${(s.ms / 1000).toFixed(1)} s`);
    for (const [k, v] of Object.entries(this.measures)) lines.push(`  ${k}: ${v}`);
    for (const n of this.notes) lines.push(`  note: ${n}`);
    if (this.error) lines.push(`  error: ${this.error.split('\n')[0]}`);
    return lines.join('\n');
  }

  write(status, error) {
    this.status = status;
    this.error = error ? String(error.message || error) : undefined;
    this.ended = Date.now();
    fs.mkdirSync(RESULTS, { recursive: true });
    const json = {
      id: this.id, title: this.title, platform: this.platform, status, durationMs: this.ended - this.started,
      counts: this.counts, steps: this.steps, measures: this.measures, notes: this.notes, error: this.error,
    };
    fs.writeFileSync(path.join(RESULTS, `${this.id}.json`), `${JSON.stringify(json, null, 2)}\n`);
    fs.writeFileSync(path.join(RESULTS, `${this.id}.txt`), `${this.text()}\n`);
  }
}

// Runs body({platform, report}) as scenario `id`. options: {subnet, nodes} for the platform.
async function runScenario(t, id, title, options, body) {
  const report = new Report(id, title);
  const platform = createPlatform(options);
  await platform.start();
  try {
    await body({ platform, report });
    report.write('pass');
  } catch (e) {
    report.write('fail', e);
    // The pods' logs, for the post-mortem: in the results directory (an assertion's printed
    // stack keeps its first message, so they are not appended to it).
    const logs = platform.allLogs ? platform.allLogs(20e6) : '';
    fs.writeFileSync(path.join(RESULTS, `${id}.log`), logs);
    report.note(`pod logs: ${path.join(RESULTS, `${id}.log`)}`);
    fs.writeFileSync(path.join(RESULTS, `${id}.txt`), `${report.text()}\n`);
    throw e;
  } finally {
    for (const line of report.text().split('\n')) t.diagnostic(line);
    await platform.close();
  }
}

// Reads every acknowledged entry back and insists on 0 lost, 0 corrupted and at least
// `minimum` acknowledged.
async function verifyLedger(report, ledger, minimum = ENTRIES) {
  const counts = await report.step('read back every entry', () => ledger.verify());
  report.counts = counts;
  assert.ok(counts.acknowledged >= minimum, `only ${counts.acknowledged} of the ${minimum} entries were acknowledged (last error: ${ledger.lastError})`);
  assert.strictEqual(counts.lost, 0, `${counts.lost} acknowledged entries lost: ${JSON.stringify(counts.examples)}`);
  assert.strictEqual(counts.corrupted, 0, `${counts.corrupted} entries corrupted: ${JSON.stringify(counts.examples)}`);
  return counts;
}

// The endpoints of a release's ready pods on `port` (the members' 5701 by default).
function readyEndpoints(platform, release, port = 5701) {
  return async () => {
    const pods = (await platform.pods(release)).filter((p) => p.ready);
    return Promise.all(pods.map((p) => platform.endpoint(p.name, port)));
  };
}

async function getJson(platform, pod, urlPath, port = 5701) {
  const endpoint = await platform.endpoint(pod, port);
  const res = await fetch(`http://${endpoint}${urlPath}`, { signal: AbortSignal.timeout(5000) });
  if (!res.ok) throw new Error(`${urlPath} on ${pod}: ${res.status}`);
  return res.json();
}

// Every ready pod of the release reports a cluster of `size`.
async function waitForClusterSize(platform, release, size, deadlineMs = 60000) {
  return waitFor(`${release}: a cluster of ${size}`, deadlineMs, async () => {
    const pods = (await platform.pods(release)).filter((p) => p.ready);
    if (pods.length < 1) return false;
    const sizes = await Promise.all(pods.map(async (p) => (await getJson(platform, p.name, '/hazelcast/health')).clusterSize));
    return sizes.every((s) => s === size) ? sizes : false;
  }, 200);
}

async function waitForSafe(platform, release, deadlineMs = 120000) {
  return waitFor(`${release}: cluster safe`, deadlineMs, async () => {
    const pods = (await platform.pods(release)).filter((p) => p.ready);
    const safe = await Promise.all(pods.map(async (p) => (await getJson(platform, p.name, '/hazelcast/health')).clusterSafe));
    return safe.length > 0 && safe.every(Boolean);
  }, 250);
}

// Rolled out, a cluster of `size` and safe: where every data scenario starts and every scaling
// step ends. `install` and `upgrade` take the release and its values.
async function settle(platform, release, size, rolloutMs) {
  await platform.waitForRollout(release, rolloutMs);
  await waitForClusterSize(platform, release, size, Math.max(60000, rolloutMs / 2));
  await waitForSafe(platform, release);
}

async function installAndSettle(platform, release, values, size, rolloutMs = 120000) {
  await platform.install(release, values);
  await settle(platform, release, size, rolloutMs);
}

// A `helm upgrade` under the ledger's load: settled again, and the load still acknowledged.
async function upgradeUnderLoad(platform, release, values, size, ledger) {
  const before = ledger.acknowledged.size;
  await platform.upgrade(release, values);
  await settle(platform, release, size, 300000);
  await waitFor('writes during the step', 10000, () => ledger.acknowledged.size > before);
}

module.exports = { runScenario, installAndSettle, upgradeUnderLoad, verifyLedger, readyEndpoints, getJson, waitFor, waitForClusterSize, waitForSafe, Report, ENTRIES, RESULTS, sleep };
