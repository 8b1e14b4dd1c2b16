'use strict';
// The kubernetes driver of the platform interface (../interface.js): helm and kubectl against
// $KUBECONFIG, each scenario in a namespace of its own. Pod kill is kubectl delete pod (graceful,
// or --grace-period=0 --force); a node fails by being cordoned and having every pod on it
// force-deleted; a zone by doing that to each of its nodes; the suite reaches a pod through
// kubectl port-forward. Command lines: ./commands.js (unit-tested).
const { execFile, spawn } = require('node:child_process');
const { helm, kubectl, forwardedEndpoint } = require('./commands');
const { HelmError } = require('../interface');

const ZONE_LABELS = ['topology.kubernetes.io/zone', 'failure-domain.beta.kubernetes.io/zone'];

function run(command, args, { allowFail = false } = {}) {
  return new Promise((resolve, reject) => {
    execFile(command, args, { maxBuffer: 64 << 20, env: process.env }, (error, stdout, stderr) => {
      if (error && !allowFail) reject(Object.assign(new Error(`${command} ${args.join(' ')}: ${stderr.trim() || error.message}`), { stderr }));
      else resolve({ code: error ? error.code || 1 : 0, stdout, stderr });
    });
  });
}

const ready = (pod) => (pod.status.conditions || []).some((c) => c.type === 'Ready' && c.status === 'True');

class KubernetesPlatform {
  constructor({ subnet, namespace } = {}) {
    this.name = 'kubernetes';
    this.namespace = namespace || process.env.SHOAL_K8S_NAMESPACE || `shoal-conformance-${subnet || 'x'}-${Date.now().toString(36)}`;
    this.image = process.env.SHOAL_IMAGE || '';
    this.releases = new Set();
    this.forwards = new Map(); // "pod/uid/port" -> {child, endpoint}
    this.cordoned = new Set();
  }

  async start() {
    if (!process.env.KUBECONFIG && !process.env.HOME) throw new Error('no KUBECONFIG');
    await run('kubectl', kubectl.createNamespace(this.namespace));
    await this.refreshNodes();
    return this;
  }

  async refreshNodes() {
    const nodes = JSON.parse((await run('kubectl', kubectl.nodes())).stdout).items;
    this.nodeList = nodes.map((n) => ({
      name: n.metadata.name,
      zone: ZONE_LABELS.map((l) => (n.metadata.labels || {})[l]).find(Boolean) || '',
      schedulable: !n.spec.unschedulable,
    }));
  }

  nodes() {
    return this.nodeList;
  }

  async helm(args) {
    const r = await run('helm', args, { allowFail: true });
    if (r.code !== 0) throw new HelmError(r.stderr.trim());
    return r;
  }

  async install(release, options = {}) {
    await this.helm(helm.install(release, this.namespace, options, this.image));
    this.releases.add(release);
    return { release, namespace: this.namespace };
  }

  async upgrade(release, options = {}) {
    await this.helm(helm.upgrade(release, this.namespace, options, this.image));
  }

  async uninstall(release) {
    await this.helm(helm.uninstall(release, this.namespace));
    this.releases.delete(release);
  }

  async pods(release) {
    const items = JSON.parse((await run('kubectl', kubectl.pods(this.namespace, release))).stdout).items;
    const zoneOf = new Map(this.nodeList.map((n) => [n.name, n.zone]));
    return items.filter((p) => !(p.metadata.annotations || {})['helm.sh/hook']).map((p) => {
      const statuses = p.status.containerStatuses || [];
      const last = statuses.map((s) => s.lastState && s.lastState.terminated).find(Boolean);
      return {
        name: p.metadata.name,
        uid: p.metadata.uid,
        release: (p.metadata.labels || {})['app.kubernetes.io/instance'],
        ready: !p.metadata.deletionTimestamp && ready(p),
        phase: p.metadata.deletionTimestamp ? 'Terminating' : p.status.phase,
        node: p.spec.nodeName,
        zone: zoneOf.get(p.spec.nodeName),
        ip: p.status.podIP,
        restarts: statuses.reduce((n, s) => n + (s.restartCount || 0), 0),
        lastExitCode: last ? last.exitCode : undefined,
      };
    }).sort((a, b) => a.name.localeCompare(b.name, 'en', { numeric: true }));
  }

  async workloads(release) {
    return JSON.parse((await run('kubectl', kubectl.workloads(this.namespace, release))).stdout).items;
  }

  async statefulSetStatus(release) {
    const sts = (await this.workloads(release)).find((w) => w.kind === 'StatefulSet');
    return sts ? { replicas: sts.spec.replicas, ...sts.status } : null;
  }

  async waitForRollout(release, deadlineMs = 300000) {
    const deadline = Date.now() + deadlineMs;
    for (;;) {
      const workloads = await this.workloads(release);
      const pods = await this.pods(release);
      const done = workloads.length > 0 && workloads.every((w) => {
        const s = w.status || {};
        const want = w.spec.replicas ?? 1;
        const revisionDone = w.kind !== 'StatefulSet' || !s.updateRevision || s.currentRevision === s.updateRevision;
        return (s.observedGeneration || 0) >= w.metadata.generation && (s.readyReplicas || 0) === want
          && (s.updatedReplicas || 0) === want && revisionDone;
      }) && pods.every((p) => p.phase !== 'Terminating');
      if (done) return true;
      if (Date.now() > deadline) throw new Error(`${release} not rolled out within ${deadlineMs} ms`);
      await new Promise((r) => setTimeout(r, 1000));
    }
  }

  async killPod(name, { graceSeconds } = {}) {
    await run('kubectl', kubectl.deletePod(this.namespace, name, graceSeconds));
  }

  async killNode(node) {
    await run('kubectl', kubectl.cordon(node));
    this.cordoned.add(node);
    const victims = (await this.pods()).filter((p) => p.node === node).map((p) => p.name);
    await run('kubectl', kubectl.deletePodsOnNode(this.namespace, node));
    return victims;
  }

  async killZone(zone) {
    const nodes = this.nodeList.filter((n) => n.zone === zone).map((n) => n.name);
    if (nodes.length === 0) throw new Error(`no node in zone ${zone}`);
    return (await Promise.all(nodes.map((n) => this.killNode(n)))).flat();
  }

  async uncordon(node) {
    await run('kubectl', kubectl.uncordon(node));
    this.cordoned.delete(node);
  }

  async logs(name, container) {
    return (await run('kubectl', kubectl.logs(this.namespace, name, container), { allowFail: true })).stdout;
  }

  // One port-forward per pod incarnation and port, started on first use.
  async endpoint(name, port = 5701) {
    const pod = (await this.pods()).find((p) => p.name === name);
    if (!pod) throw new Error(`no pod ${name}`);
    const id = `${name}/${pod.uid}/${port}`;
    const known = this.forwards.get(id);
    if (known && known.child.exitCode === null) return known.endpoint;
    const child = spawn('kubectl', kubectl.portForward(this.namespace, name, port), { stdio: ['ignore', 'pipe', 'pipe'] });
    const endpoint = await new Promise((resolve, reject) => {
      let out = '';
      const timer = setTimeout(() => reject(new Error(`port-forward to ${name}:${port}: no answer (${out})`)), 15000);
      child.stdout.on('data', (c) => {
        out += c;
        const e = forwardedEndpoint(out);
        if (e) { clearTimeout(timer); resolve(e); }
      });
      child.stderr.on('data', (c) => { out += c; });
      child.on('exit', () => { clearTimeout(timer); reject(new Error(`port-forward to ${name}:${port} ended: ${out}`)); });
    });
    this.forwards.set(id, { child, endpoint });
    return endpoint;
  }

  async wipeVolume(release, podName) {
    await run('kubectl', kubectl.deleteClaim(this.namespace, `persistence-${podName}`));
    await run('kubectl', kubectl.deletePod(this.namespace, podName));
  }

  async helmTest(release) {
    const r = await run('helm', helm.test(release, this.namespace), { allowFail: true });
    return { ok: r.code === 0, results: [{ name: `${release} helm test`, ok: r.code === 0, log: `${r.stdout}\n${r.stderr}` }] };
  }

  allLogs() {
    return `(kubernetes: see kubectl logs --namespace ${this.namespace}; the namespace is kept when SHOAL_KEEP_LOGS is set)`;
  }

  async close() {
    for (const f of this.forwards.values()) f.child.kill();
    for (const node of this.cordoned) await run('kubectl', kubectl.uncordon(node), { allowFail: true });
    if (process.env.SHOAL_KEEP_LOGS) return;
    for (const release of this.releases) await run('helm', helm.uninstall(release, this.namespace), { allowFail: true });
    await run('kubectl', kubectl.deleteNamespace(this.namespace), { allowFail: true });
  }
}

module.exports = { KubernetesPlatform };
