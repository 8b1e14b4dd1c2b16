// The chart as chart-testing sees it: helm lint --strict with every values file, yamllint with
// ct's lint rules, a values table in README.md that matches values.yaml, ct.yaml as CI needs it,
// and an appVersion that is the member's version.
'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const YAML = require('yaml');
const chart = require('./chart');

const GENERATOR = path.join(chart.REPO, 'conformance', 'node_modules', '@bitnami', 'readme-generator-for-helm', 'bin', 'index.js');

test('helm lint --strict passes with the defaults, every values example and every ct values file', async (t) => {
  const files = [null, ...chart.exampleFiles(), ...chart.ciFiles()];
  const results = await Promise.all(files.map((f) =>
    chart.helmSlot(() => chart.run('helm', ['lint', '--strict', chart.CHART, ...(f ? ['-f', f] : [])]))));
  for (const [i, f] of files.entries()) {
    await t.test(f || 'defaults', () => {
      assert.equal(results[i].code, 0, results[i].stdout + results[i].stderr);
      assert.match(results[i].stdout, /1 chart\(s\) linted, 0 chart\(s\) failed/);
    });
  }
});

test('yamllint with chart-testing\'s lint config accepts Chart.yaml, values.yaml, ci/ and the examples', async () => {
  const files = [path.join(chart.CHART, 'Chart.yaml'), path.join(chart.CHART, 'values.yaml'), ...chart.ciFiles(),
    ...chart.exampleFiles(), 'ct.yaml'];
  const r = await chart.run('yamllint', ['--strict', '-c', path.join(__dirname, 'lintconf.yaml'), ...files]);
  assert.equal(r.code, 0, r.stdout + r.stderr);
});

test('charts/shoal/README.md holds the values table generated from values.yaml (run make chart-readme)', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shoal-readme-'));
  try {
    const copy = path.join(dir, 'README.md');
    const current = fs.readFileSync(path.join(chart.CHART, 'README.md'), 'utf8');
    fs.writeFileSync(copy, current);
    const r = await chart.run('node', [GENERATOR, '--values', path.join(chart.CHART, 'values.yaml'), '--readme', copy]);
    assert.equal(r.code, 0, `the generator failed (missing or wrong @param metadata?):\n${r.stdout}${r.stderr}`);
    assert.doesNotMatch(r.stdout + r.stderr, /ERROR/, r.stdout + r.stderr);
    assert.equal(fs.readFileSync(copy, 'utf8'), current, 'charts/shoal/README.md is stale: run make chart-readme');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('every key of values.yaml has a @param line, and every @param names a key', () => {
  const text = fs.readFileSync(path.join(chart.CHART, 'values.yaml'), 'utf8');
  const params = new Set([...text.matchAll(/^\s*## @param (\S+)/gm)].map((m) => m[1]));
  const leaves = [];
  const walk = (value, prefix) => {
    if (value && typeof value === 'object' && !Array.isArray(value) && Object.keys(value).length > 0 && !params.has(prefix)) {
      for (const [k, v] of Object.entries(value)) walk(v, prefix ? `${prefix}.${k}` : k);
    } else {
      leaves.push(prefix);
    }
  };
  walk(YAML.parse(text), '');
  assert.deepEqual(leaves.filter((l) => !params.has(l)), [], 'values without @param');
  assert.deepEqual([...params].filter((p) => !leaves.includes(p)), [], '@param lines without a value');
});

test('every documented value is in the schema, which refuses unknown keys wherever values are not free-form', () => {
  const schema = JSON.parse(fs.readFileSync(path.join(chart.CHART, 'values.schema.json'), 'utf8'));
  const text = fs.readFileSync(path.join(chart.CHART, 'values.yaml'), 'utf8');
  for (const [, param] of text.matchAll(/^\s*## @param (\S+)/gm)) {
    let node = schema;
    for (const part of param.split('.')) {
      assert.ok(node.properties && node.properties[part], `${param} is not in values.schema.json`);
      if (node.type === 'object' && node.properties) assert.equal(node.additionalProperties, false, `${param}: its parent refuses unknown keys`);
      node = node.properties[part];
    }
    assert.ok(node.type || node.oneOf, `${param} has a type in the schema`);
  }
});

test('ct.yaml: chart-dirs charts, target-branch main, --timeout 10m, no maintainer validation, our lint rules', () => {
  const ct = YAML.parse(fs.readFileSync(path.join(chart.REPO, 'ct.yaml'), 'utf8'));
  assert.deepEqual(ct['chart-dirs'], ['charts']);
  assert.equal(ct['target-branch'], 'main');
  assert.equal(ct['helm-extra-args'], '--timeout 10m');
  assert.equal(ct['validate-maintainers'], false);
  assert.ok(fs.existsSync(path.join(chart.REPO, ct['lint-conf'])));
});

test('Chart.yaml: apiVersion v2, appVersion is the member version from member/CMakeLists.txt', () => {
  const meta = YAML.parse(fs.readFileSync(path.join(chart.CHART, 'Chart.yaml'), 'utf8'));
  const cmake = fs.readFileSync(path.join(chart.REPO, 'member', 'CMakeLists.txt'), 'utf8');
  const version = /project\(shoal VERSION ([0-9.]+)/.exec(cmake)[1];
  assert.equal(meta.apiVersion, 'v2');
  assert.equal(meta.appVersion, version);
});

test('every values example opens with a comment showing the helm command that uses it', () => {
  for (const f of chart.exampleFiles()) {
    const head = fs.readFileSync(path.join(chart.REPO, f), 'utf8').split('\n').filter((l) => l.startsWith('#')).join('\n');
    assert.match(head, new RegExp(`helm (install|upgrade) \\S+ \\./charts/shoal -f ${f.replace('.', '\\.')}`), `${f} shows its helm command`);
  }
  const readme = fs.readFileSync(path.join(chart.REPO, 'values-examples', 'README.md'), 'utf8');
  for (const f of chart.exampleFiles()) assert.ok(readme.includes(path.basename(f)), `values-examples/README.md lists ${f}`);
});

test('one object per template file, named by kind', () => {
  const dir = path.join(chart.CHART, 'templates');
  for (const f of fs.readdirSync(dir).filter((x) => x.endsWith('.yaml'))) {
    const text = fs.readFileSync(path.join(dir, f), 'utf8');
    assert.equal((text.match(/^kind: /gm) || []).length, 1, `${f} holds one object`);
  }
});
