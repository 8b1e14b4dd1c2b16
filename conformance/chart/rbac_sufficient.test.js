// The chart's pods, run for real: members started from the rendered pod spec (the ConfigMap's
// shoal.yaml, the container's env and JAVA_OPTS with the downward API filled in) discover each
// other through the Kubernetes API stand-in and form one cluster; afterwards every request they
// made must be granted by the rendered Role / ClusterRole, so the RBAC is not only minimal
// (modes.test.js) but sufficient.
'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawn } = require('node:child_process');
const { startKubeApi } = require('../platform/kube-api/server');
const chart = require('./chart');

// "group/resource:verb" for a request path of the API server, or null for non-resource paths.
function requestGrant({ path: p, query }) {
  const core = /^\/api\/v1\/(?:namespaces\/[^/]+\/)?([^/]+)(\/[^/]+)?$/.exec(p);
  const grouped = /^\/apis\/([^/]+)\/[^/]+\/(?:namespaces\/[^/]+\/)?([^/]+)(\/[^/]+)?$/.exec(p);
  const [group, resource, name] = core ? ['', core[1], core[2]] : grouped ? [grouped[1], grouped[2], grouped[3]] : [];
  if (resource === undefined) return null;
  const verb = query.watch === 'true' || query.watch === '1' ? 'watch' : name ? 'get' : 'list';
  return `${group}/${resource}:${verb}`;
}

function grantsOf(objects) {
  const out = new Set();
  for (const role of [...chart.find(objects, 'Role'), ...chart.find(objects, 'ClusterRole')]) {
    for (const rule of role.rules) {
      for (const g of rule.apiGroups) for (const r of rule.resources) for (const v of rule.verbs) out.add(`${g}/${r}:${v}`);
    }
  }
  return out;
}

// Starts the rendered pods as processes; resolves {members, api, dir}.
async function runPods(objects, { release, namespace, subnet, zone }) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shoal-chart-pods-'));
  const api = await startKubeApi({ dir, host: '127.0.0.1' });
  const configFile = path.join(dir, 'shoal.yaml');
  fs.writeFileSync(configFile, chart.one(objects, 'ConfigMap').data['shoal.yaml']);
  const w = chart.workload(objects);
  const discovery = chart.find(objects, 'Service', (s) => s.spec.clusterIP === 'None')[0];
  api.upsertService({ namespace, name: discovery.metadata.name, selector: discovery.spec.selector,
    labels: discovery.metadata.labels, publishNotReadyAddresses: true });
  const container = w.spec.template.spec.containers.find((c) => (c.ports || []).some((p) => p.name === 'hazelcast'));
  // The StatefulSet as its controller reports it, for the automatic cluster state's watch.
  if (w.kind === 'StatefulSet') {
    api.upsertStatefulSet({ namespace, name: w.metadata.name, replicas: w.spec.replicas, readyReplicas: w.spec.replicas });
  }
  const members = [];
  for (let i = 0; i < w.spec.replicas; i++) {
    const name = `${release}-shoal-${i}`;
    const node = `node-${i}`;
    const ip = `127.0.${subnet}.${i + 1}`;
    api.upsertNode({ name: node, labels: { 'topology.kubernetes.io/zone': zone, 'kubernetes.io/hostname': node } });
    api.upsertPod({ namespace, name, ip, labels: w.spec.template.metadata.labels, nodeName: node, ready: true });
    // The env as the kubelet gives it: downward API values, $(VAR) references expanded.
    const downward = { 'metadata.name': name, 'spec.nodeName': node, 'metadata.namespace': namespace };
    const env = { PATH: process.env.PATH, HOSTNAME: name };
    for (const e of container.env) {
      env[e.name] = e.valueFrom ? downward[e.valueFrom.fieldRef.fieldPath] : e.value.replace(/\$\((\w+)\)/g, (_, v) => env[v]);
    }
    // Each pod of a StatefulSet with volumeClaimTemplates has a PersistentVolume of its own.
    if ((w.spec.volumeClaimTemplates || []).length > 0) env.HZ_PERSISTENCE_BASEDIR = path.join(dir, `volume-${name}`);
    // What a pod finds at kubernetes.default.svc and in its service-account files.
    Object.assign(env, {
      SHOAL_CONFIG: configFile,
      HAZELCAST_KUBERNETES_KUBERNETES_MASTER: api.url,
      HAZELCAST_KUBERNETES_API_TOKEN: api.token,
      HAZELCAST_KUBERNETES_CA_CERTIFICATE: fs.readFileSync(api.caFile, 'utf8'),
    });
    const log = fs.openSync(path.join(dir, `${name}.log`), 'w');
    const child = spawn(chart.MEMBER, [`-Dhazelcast.local.localAddress=${ip}`, ...(container.args || [])],
      { env, stdio: ['ignore', log, log] });
    fs.closeSync(log);
    members.push({ name, ip, child });
  }
  return { members, api, dir };
}

async function clusterSize(ip) {
  const r = await fetch(`http://${ip}:5701/hazelcast/health/cluster-size`, { signal: AbortSignal.timeout(2000) });
  return Number(await r.text());
}

async function waitForSize(members, size, deadlineMs) {
  const deadline = Date.now() + deadlineMs;
  while (Date.now() < deadline) {
    const sizes = await Promise.all(members.map((m) => clusterSize(m.ip).catch(() => 0)));
    if (sizes.every((s) => s === size)) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`no cluster of ${size} within ${deadlineMs} ms`);
}

const CASES = [
  { title: 'client-server (Kubernetes API by service name)', values: { set: ['cluster.memberCount=3'] }, subnet: 241, zone: 'zone-a' },
  { title: 'zone-aware (zone read from the Node through the ClusterRole)', values: { files: ['values-examples/zone-a.yaml'] },
    subnet: 242, zone: 'us-central1-a', expect: ['/nodes:get'] },
  { title: 'persistence', values: { files: ['values-examples/persistence.yaml'] }, subnet: 243, zone: 'zone-a' },
  { title: 'sidecar (the member container of each app pod)', values: { files: ['values-examples/sidecar.yaml'] }, subnet: 244, zone: 'zone-a' },
];

for (const c of CASES) {
  test(`the rendered pods form a cluster and need no more RBAC than the chart grants: ${c.title}`, async () => {
    assert.ok(fs.existsSync(chart.MEMBER), `${chart.MEMBER} is missing: run make build first`);
    const namespace = 'data';
    const release = 'rbac';
    const objects = await chart.renderOk(c.values, { release, namespace });
    const { members, api, dir } = await runPods(objects, { release, namespace, subnet: c.subnet, zone: c.zone });
    try {
      await waitForSize(members, members.length, 30000);
      const granted = grantsOf(objects);
      const asked = new Set(api.requests.map(requestGrant).filter(Boolean));
      assert.ok(asked.size > 0, 'the members asked the API');
      if (process.env.SHOAL_CHART_VERBOSE) console.log(c.title, [...asked].sort());
      for (const g of asked) assert.ok(granted.has(g), `the member asked for ${g}, which the chart's RBAC does not grant`);
      for (const g of c.expect || []) assert.ok(asked.has(g), `the member used ${g}`);
    } catch (e) {
      const logs = members.map((m) => `--- ${m.name}\n${fs.readFileSync(path.join(dir, `${m.name}.log`), 'utf8').slice(-3000)}`).join('\n');
      e.message += `\n${logs}`;
      throw e;
    } finally {
      for (const m of members) m.child.kill('SIGKILL');
      await api.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
}
