// Golden renders: the full `helm template` output of every values example is kept in
// conformance/chart/golden/ and diffed here, so any change to what the chart renders shows up in
// review. After an intended change: make chart-golden (SHOAL_UPDATE_GOLDEN=1) and review the diff.
'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const chart = require('./chart');

const GOLDEN = path.join(__dirname, 'golden');
const UPDATE = process.env.SHOAL_UPDATE_GOLDEN === '1';

// Release names as the examples' own helm commands use them.
function releaseOf(file) {
  const text = fs.readFileSync(path.join(chart.REPO, file), 'utf8');
  const m = new RegExp(`helm install (\\S+) \\./charts/shoal -f ${file.replace('.', '\\.')}`).exec(text);
  return m ? m[1] : 'shoal';
}

test('every values example renders exactly its golden file (make chart-golden after an intended change)', async (t) => {
  const files = chart.exampleFiles();
  const renders = await Promise.all(files.map((f) => chart.helmSlot(() =>
    chart.run('helm', ['template', releaseOf(f), chart.CHART, '--namespace', 'shoal', '-f', f]))));
  if (UPDATE) fs.mkdirSync(GOLDEN, { recursive: true });
  for (const [i, f] of files.entries()) {
    await t.test(f, () => {
      assert.equal(renders[i].code, 0, renders[i].stderr);
      const goldenFile = path.join(GOLDEN, path.basename(f));
      if (UPDATE) fs.writeFileSync(goldenFile, renders[i].stdout);
      assert.ok(fs.existsSync(goldenFile), `${goldenFile} is missing: run make chart-golden`);
      assert.equal(renders[i].stdout, fs.readFileSync(goldenFile, 'utf8'), `${f} renders differently from ${goldenFile}`);
    });
  }
});

test('the rendered manifests are clean YAML by chart-testing\'s lint rules (no trailing spaces, blank runs)', async () => {
  const files = fs.readdirSync(GOLDEN).map((f) => path.join(GOLDEN, f));
  const r = await chart.run('yamllint', ['--strict', '-c', path.join(__dirname, 'lintconf.yaml'), ...files]);
  assert.equal(r.code, 0, r.stdout + r.stderr);
});
