// The chart under test, seen from outside: render charts/shoal with the real `helm template`,
// split the manifests, validate each against the Kubernetes OpenAPI schemas (kubernetes-models),
// and check the shoal.yaml it generates with the real member (`shoal-member --validate-config`).
'use strict';

const { execFile } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const YAML = require('yaml');
const { unknownFields } = require('./strict_fields');

const REPO = path.resolve(__dirname, '..', '..');
const CHART = path.join(REPO, 'charts', 'shoal');
const EXAMPLES = path.join(REPO, 'values-examples');
const MEMBER = process.env.SHOAL_MEMBER_BINARY || path.join(REPO, 'build', 'shoal-member');
const ENV = { ...process.env, PATH: `${path.join(REPO, '.tools', 'bin')}:${process.env.PATH}` };

// Runs a command; resolves {code, stdout, stderr} whatever the exit code.
function run(command, args, options = {}) {
  return new Promise((resolve) => {
    execFile(command, args, { env: ENV, maxBuffer: 64 << 20, cwd: REPO, ...options }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
    });
  });
}

// At most `limit` helm processes at once: the machine has 2 cores shared with others.
function limiter(limit) {
  let active = 0;
  const waiting = [];
  const next = () => {
    if (active >= limit || waiting.length === 0) return;
    active++;
    const { job, resolve } = waiting.shift();
    job().then(resolve, resolve).finally(() => { active--; next(); });
  };
  return (job) => new Promise((resolve) => { waiting.push({ job, resolve }); next(); });
}
const helmSlot = limiter(Math.max(2, os.availableParallelism ? os.availableParallelism() : 2));

function valuesArgs({ files = [], set = [], setJson = [] } = {}) {
  const args = [];
  for (const f of files) args.push('-f', path.isAbsolute(f) ? f : path.join(REPO, f));
  for (const s of set) args.push('--set', s);
  for (const s of setJson) args.push('--set-json', s);
  return args;
}

// helm template; resolves {code, stderr, objects} (objects: parsed manifests in order).
async function render(values = {}, { release = 'shoal', namespace = 'data', extra = [] } = {}) {
  const result = await helmSlot(() =>
    run('helm', ['template', release, CHART, '--namespace', namespace, ...extra, ...valuesArgs(values)]));
  const objects = result.code === 0
    ? YAML.parseAllDocuments(result.stdout).map((d) => d.toJS()).filter((o) => o && typeof o === 'object')
    : [];
  return { ...result, objects };
}

// Renders and insists it worked.
async function renderOk(values, options) {
  const r = await render(values, options);
  if (r.code !== 0) throw new Error(`helm template failed for ${JSON.stringify(values)}:\n${r.stderr}`);
  return r.objects;
}

function find(objects, kind, predicate = () => true) {
  return objects.filter((o) => o.kind === kind && predicate(o));
}

function one(objects, kind, predicate) {
  const found = find(objects, kind, predicate);
  if (found.length !== 1) throw new Error(`expected one ${kind}, found ${found.length}`);
  return found[0];
}

// The StatefulSet or Deployment that runs the members.
function workload(objects) {
  const found = objects.filter((o) => o.kind === 'StatefulSet' || o.kind === 'Deployment');
  if (found.length !== 1) throw new Error(`expected one workload, found ${found.map((o) => o.kind)}`);
  return found[0];
}

function podSpec(objects) {
  return workload(objects).spec.template.spec;
}

function container(objects, name) {
  const c = podSpec(objects).containers.find((x) => x.name === name);
  if (!c) throw new Error(`no container ${name}`);
  return c;
}

function envOf(c) {
  return Object.fromEntries((c.env || []).map((e) => [e.name, e.value !== undefined ? e.value : e.valueFrom]));
}

// The member's generated config, parsed.
function shoalConfig(objects) {
  return YAML.parse(one(objects, 'ConfigMap').data['shoal.yaml']);
}

// -Dname=value pairs of a JAVA_OPTS string.
function javaProperties(javaOpts) {
  const props = {};
  for (const token of (javaOpts || '').split(/\s+/).filter(Boolean)) {
    const m = /^-D([^=]+)=(.*)$/.exec(token);
    if (m) props[m[1]] = m[2];
  }
  return props;
}

// kubernetes-models class for an object, or null for kinds it does not model (CRDs).
function modelFor(object) {
  const [group, version] = object.apiVersion.includes('/') ? object.apiVersion.split('/') : ['', object.apiVersion];
  const modulePath = group ? `kubernetes-models/${group}/${version}/${object.kind}` : `kubernetes-models/${version}/${object.kind}`;
  try {
    return require(modulePath)[object.kind];
  } catch {
    return null;
  }
}

// Throws with every problem of an object: OpenAPI schema errors, unknown fields (strict, as
// kubectl --validate=strict), and the metadata rules the API server enforces beyond the schema
// (name syntax and length, label syntax).
function validateObject(object) {
  const where = `${object.kind}/${object.metadata && object.metadata.name}`;
  const problems = [];
  const Model = modelFor(object);
  if (Model) {
    try {
      new Model(object).validate();
    } catch (e) {
      problems.push(e.message);
    }
    problems.push(...(unknownFields(object) || []));
  } else if (object.kind === 'ServiceMonitor' && object.apiVersion === 'monitoring.coreos.com/v1') {
    // prometheus-operator's CRD is not modelled: check the fields this chart uses.
    const spec = object.spec || {};
    if (!spec.selector || !Array.isArray(spec.endpoints) || spec.endpoints.length === 0) {
      problems.push('ServiceMonitor needs spec.selector and spec.endpoints');
    }
    const known = { spec: ['selector', 'namespaceSelector', 'endpoints', 'jobLabel'], endpoint: ['port', 'path', 'interval', 'scrapeTimeout'] };
    for (const k of Object.keys(spec)) if (!known.spec.includes(k)) problems.push(`ServiceMonitor spec.${k} is unknown`);
    for (const e of spec.endpoints || []) for (const k of Object.keys(e)) if (!known.endpoint.includes(k)) problems.push(`ServiceMonitor endpoint ${k} is unknown`);
  } else {
    problems.push(`no schema for ${object.apiVersion} ${object.kind}`);
  }
  const name = object.metadata && object.metadata.name;
  const dns1123 = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
  if (!name || !dns1123.test(name) || name.length > 253) problems.push(`bad name '${name}'`);
  if (['Service', 'StatefulSet', 'Pod'].includes(object.kind) && name.length > 63) problems.push(`name '${name}' longer than 63`);
  const labelValue = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
  const checkLabels = (labels, at) => {
    for (const [k, v] of Object.entries(labels || {})) {
      if (typeof v !== 'string' || v.length > 63 || !labelValue.test(v)) problems.push(`${at} label ${k}=${v} is not a valid label value`);
    }
  };
  checkLabels(object.metadata.labels, 'metadata');
  if (object.spec && object.spec.template && object.spec.template.metadata) checkLabels(object.spec.template.metadata.labels, 'pod');
  if (problems.length) throw new Error(`${where}: ${problems.join('; ')}`);
}

// Writes the generated shoal.yaml and runs the member's own validation on it, with the -D
// properties the pod passes in JAVA_OPTS (downward-API references filled in as the kubelet would).
async function validateWithMember(objects) {
  if (!fs.existsSync(MEMBER)) throw new Error(`${MEMBER} is missing: run make build first (or set SHOAL_MEMBER_BINARY)`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shoal-chart-'));
  try {
    const file = path.join(dir, 'shoal.yaml');
    fs.writeFileSync(file, one(objects, 'ConfigMap').data['shoal.yaml']);
    const w = workload(objects);
    const c = w.spec.template.spec.containers.find((x) => x.ports && x.ports.some((p) => p.name === 'hazelcast'));
    const javaOpts = (envOf(c).JAVA_OPTS || '').replace(/\$\(NODE_NAME\)/g, 'node-1');
    const args = ['--validate-config', file, ...javaOpts.split(/\s+/).filter(Boolean)];
    const env = { PATH: process.env.PATH };  // not the test runner's HZ_* or SHOAL_* variables
    return await run(MEMBER, args, { env });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function exampleFiles() {
  return fs.readdirSync(EXAMPLES).filter((f) => f.endsWith('.yaml')).sort().map((f) => path.join('values-examples', f));
}

function ciFiles() {
  return fs.readdirSync(path.join(CHART, 'ci')).filter((f) => f.endsWith('-values.yaml')).sort()
    .map((f) => path.join('charts', 'shoal', 'ci', f));
}

module.exports = {
  REPO, CHART, MEMBER, run, render, renderOk, find, one, workload, podSpec, container, envOf,
  shoalConfig, javaProperties, validateObject, validateWithMember, exampleFiles, ciFiles, valuesArgs, helmSlot,
};
