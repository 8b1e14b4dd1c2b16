'use strict';
// Prints the conformance report: one line per scenario (pass/fail, entries written /
// acknowledged / lost / corrupted, duration) from the results directory the scenarios wrote,
// then each scenario's measured steps. Usage: node conformance/suite/summary.js [results-dir]
const fs = require('node:fs');
const path = require('node:path');
const { RESULTS } = require('./scenario');

const dir = process.argv[2] || RESULTS;
const files = fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.json')).sort() : [];
if (files.length === 0) {
  console.log(`conformance report: no scenario results in ${dir}`);
  process.exit(0);
}
const rows = files.map((f) => JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')));
const pad = (s, n) => String(s).padEnd(n);
console.log(`\nconformance report (${rows[0].platform}; ${dir})`);
console.log(`${pad('scenario', 18)}${pad('result', 8)}${pad('written', 9)}${pad('acked', 9)}${pad('lost', 6)}${pad('corrupt', 9)}duration`);
for (const r of rows) {
  const c = r.counts || {};
  console.log(`${pad(r.id, 18)}${pad(r.status.toUpperCase(), 8)}${pad(c.written ?? '-', 9)}${pad(c.acknowledged ?? '-', 9)}` +
    `${pad(c.lost ?? '-', 6)}${pad(c.corrupted ?? '-', 9)}${(r.durationMs / 1000).toFixed(1)} s`);
}
for (const r of rows) {
  console.log(`\n${fs.readFileSync(path.join(dir, `${r.id}.txt`), 'utf8').trimEnd()}`);
}
const junit = path.join(dir, 'junit.xml');
if (fs.existsSync(junit)) console.log(`\nJUnit XML: ${junit}`);
