'use strict';
// The local driver of the platform interface (../interface.js): helm template renders the chart
// with the scenario's values, and this file plays the rest of Kubernetes on one machine: the
// API (the kube-api stand-in), the scheduler (nodes and zones, the rendered nodeAffinity and
// nodeSelector, spreading by hostname), the StatefulSet and Deployment controllers (OrderedReady
// or Parallel, highest ordinal first, rolling updates one pod at a time waiting for ready) and
// the kubelet (pod.js: processes, probes, restarts, SIGTERM then SIGKILL).
const crypto = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { startKubeApi } = require('../kube-api/server');
const chart = require('../../chart/chart');
const { Pod } = require('./pod');
const { waitFor } = require('./local_cluster');
const { HelmError } = require('../interface');

const ZONE_LABEL = 'topology.kubernetes.io/zone';
const HOST_LABEL = 'kubernetes.io/hostname';
// Three workers in three zones, two of them in each zone's second rack: the same shape as the
// kind config in conformance/README.md (worker names differ).
const DEFAULT_NODES = [
  { name: 'worker-a', zone: 'zone-a' }, { name: 'worker-b', zone: 'zone-b' }, { name: 'worker-c', zone: 'zone-c' },
];


// nodeSelector and required nodeAffinity of a pod template against a node's labels.
function nodeFits(podSpec, labels) {
  for (const [k, v] of Object.entries(podSpec.nodeSelector || {})) if (labels[k] !== v) return false;
  const required = podSpec.affinity && podSpec.affinity.nodeAffinity
    && podSpec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution;
  if (!required) return true;
  return (required.nodeSelectorTerms || []).some((term) => (term.matchExpressions || []).every((e) => {
    const has = Object.prototype.hasOwnProperty.call(labels, e.key);
    switch (e.operator) {
      case 'In': return has && e.values.includes(labels[e.key]);
      case 'NotIn': return !has || !e.values.includes(labels[e.key]);
      case 'Exists': return has;
      case 'DoesNotExist': return !has;
      default: return false;
    }
  }));
}

const hashOf = (object) => crypto.createHash('sha256').update(JSON.stringify(object)).digest('hex').slice(0, 10);

// One StatefulSet or Deployment of a release and the pods it owns.
class Workload {
  constructor(platform, release, object) {
    this.platform = platform;
    this.release = release;
    this.pods = new Map(); // pod name -> Pod (pending pods have no process yet)
    this.pending = new Set(); // names that could not be scheduled
    this.hold = new Set(); // names not to re-create yet (their volume is being replaced)
    this.update(object);
  }

  update(object) {
    this.object = object;
    this.kind = object.kind;
    this.name = object.metadata.name;
    this.namespace = object.metadata.namespace || this.release.namespace;
    this.replicas = object.spec.replicas ?? 1;
    this.policy = object.spec.podManagementPolicy || 'OrderedReady';
    this.revision = hashOf(object.spec.template);
  }

  podName(ordinal) {
    return `${this.name}-${ordinal}`;
  }

  ordinal(pod) {
    return Number(pod.name.slice(this.name.length + 1));
  }

  live() {
    return [...this.pods.values()];
  }

  // One step of the controller; returns true when it changed something.
  reconcile() {
    for (const [name, pod] of this.pods) if (pod.terminatedAt) this.pods.delete(name);
    return this.kind === 'StatefulSet' ? this.reconcileStatefulSet() : this.reconcileDeployment();
  }

  reconcileStatefulSet() {
    const pods = this.live();
    const terminating = pods.filter((p) => p.deleted);
    const ordered = this.policy !== 'Parallel';
    if (ordered && terminating.length > 0) return false;
    const byOrdinal = new Map(pods.filter((p) => !p.deleted).map((p) => [this.ordinal(p), p]));
    const readyBelow = (n) => [...Array(n).keys()].every((i) => byOrdinal.has(i) && byOrdinal.get(i).ready);
    let changed = false;
    // Create the missing ordinals: in order, each only once every lower one is ready.
    for (let i = 0; i < this.replicas; i++) {
      if (byOrdinal.has(i) || this.pods.has(this.podName(i)) || this.hold.has(this.podName(i))) continue;
      if (ordered && !readyBelow(i)) break;
      if (this.platform.createPod(this, this.podName(i), i)) changed = true;
      if (ordered) return changed;
    }
    // Scale down: the highest ordinal first (one at a time unless Parallel).
    const excess = [...byOrdinal.keys()].filter((i) => i >= this.replicas).sort((a, b) => b - a);
    if (excess.length > 0) {
      if (ordered && !readyBelow(this.replicas)) return changed;
      for (const i of ordered ? excess.slice(0, 1) : excess) byOrdinal.get(i).delete();
      return true;
    }
    // Rolling update: once all are ready, the highest outdated ordinal is replaced.
    if (terminating.length === 0 && readyBelow(this.replicas)) {
      const outdated = [...byOrdinal.values()].filter((p) => p.revision !== this.revision).sort((a, b) => this.ordinal(b) - this.ordinal(a));
      if (outdated.length > 0) {
        outdated[0].delete();
        return true;
      }
    }
    return changed;
  }

  // A ReplicaSet's rules, reduced: create what is missing at once; scale down removes not-ready
  // pods first, then the newest; a template change replaces pods one at a time (maxSurge 1,
  // maxUnavailable 0).
  reconcileDeployment() {
    const pods = this.live().filter((p) => !p.deleted);
    const current = pods.filter((p) => p.revision === this.revision);
    const old = pods.filter((p) => p.revision !== this.revision);
    let changed = false;
    if (old.length === 0) {
      for (let n = pods.length; n < this.replicas; n++) {
        this.platform.createPod(this, `${this.name}-${this.revision.slice(0, 8)}-${crypto.randomBytes(3).toString('hex').slice(0, 5)}`);
        changed = true;
      }
      const excess = pods.length - this.replicas;
      if (excess > 0) {
        const victims = [...pods].sort((a, b) => (a.ready - b.ready) || (b.createdAt - a.createdAt)).slice(0, excess);
        for (const p of victims) p.delete();
        changed = true;
      }
      return changed;
    }
    // Rolling: one new pod, then one old one once the new ones are all ready.
    if (current.length + old.length <= this.replicas && current.every((p) => p.ready)) {
      this.platform.createPod(this, `${this.name}-${this.revision.slice(0, 8)}-${crypto.randomBytes(3).toString('hex').slice(0, 5)}`);
      return true;
    }
    if (current.length > 0 && current.every((p) => p.ready)) {
      old.sort((a, b) => a.ready - b.ready)[0].delete();
      return true;
    }
    return false;
  }

  // The StatefulSet status as its controller reports it.
  status() {
    const pods = this.live().filter((p) => !p.terminatedAt);
    const current = pods.filter((p) => p.revision === this.revision);
    return {
      replicas: this.replicas,
      statusReplicas: pods.length,
      readyReplicas: pods.filter((p) => p.ready).length,
      currentReplicas: pods.some((p) => p.revision !== this.revision) ? pods.length - current.length : pods.length,
      updatedReplicas: current.length,
    };
  }

  // Settled: every wanted pod exists, runs the current template and is ready, nothing terminates.
  settled() {
    const pods = this.live();
    return pods.length === this.replicas && pods.every((p) => !p.deleted && p.ready && p.revision === this.revision);
  }
}

class LocalPlatform {
  // subnet: the third octet of this platform's pod addresses (127.0.<subnet>.<n>), distinct per
  // scenario file; nodes: [{name, zone, labels}].
  constructor({ subnet, nodes = DEFAULT_NODES } = {}) {
    if (!subnet) throw new Error('LocalPlatform needs a subnet');
    this.name = 'local';
    this.subnet = subnet;
    this.nodeSpecs = nodes;
    this.releases = new Map();
    this.workloads = [];
    this.addresses = new Map(); // pod name -> its latest ip
    this.nextHost = 1;
    this.cordoned = new Set();
    this.deadNodes = new Set();
    this.allPods = []; // every pod ever created, for logs
  }

  async start() {
    this.dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shoal-platform-'));
    this.api = await startKubeApi({ dir: this.dir, host: '127.0.0.1' });
    this.ca = fs.readFileSync(this.api.caFile, 'utf8');
    for (const n of this.nodeSpecs) {
      this.api.upsertNode({ name: n.name, labels: { [ZONE_LABEL]: n.zone, [HOST_LABEL]: n.name, ...(n.labels || {}) } });
    }
    this.timer = setInterval(() => this.reconcile(), 100);
    // Whatever ends the suite's process, no pod outlives it.
    this.onExit = () => this.allPods.forEach((p) => p.containers.forEach((c) => c.signal('SIGKILL')));
    process.on('exit', this.onExit);
    return this;
  }

  nodes() {
    return this.nodeSpecs.map((n) => ({ name: n.name, zone: n.zone, schedulable: !this.cordoned.has(n.name) }));
  }

  // ------------------------------------------------------------------ helm

  async render(release, { values = [], set = [], setJson = [], namespace = 'default' }) {
    const r = await chart.render({ files: values, set, setJson }, { release, namespace });
    if (r.code !== 0) throw new HelmError(r.stderr.trim());
    return r.objects;
  }

  async install(release, options = {}) {
    if (this.releases.has(release)) throw new HelmError(`cannot re-use a name that is still in use: ${release}`);
    const namespace = options.namespace || 'default';
    const objects = await this.render(release, { ...options, namespace });
    const r = { name: release, namespace, options: { ...options, namespace }, objects, workloads: [] };
    this.releases.set(release, r);
    this.apply(r, objects);
    return { release, namespace };
  }

  // helm upgrade: values given replace the release's (as --reset-values); set adds to them.
  async upgrade(release, options = {}) {
    const r = this.releases.get(release);
    if (!r) throw new HelmError(`"${release}" has no deployed releases`);
    const merged = { ...r.options, ...options, namespace: r.namespace };
    const objects = await this.render(release, merged);
    r.options = merged;
    this.apply(r, objects);
  }

  async uninstall(release) {
    const r = this.releases.get(release);
    if (!r) return;
    this.releases.delete(release);
    for (const w of r.workloads) {
      this.workloads.splice(this.workloads.indexOf(w), 1);
      await Promise.all(w.live().map((p) => p.delete()));
      if (w.kind === 'StatefulSet') this.api.deleteStatefulSet(w.namespace, w.name);
    }
  }

  apply(r, objects) {
    r.objects = objects;
    r.configMaps = Object.fromEntries(chart.find(objects, 'ConfigMap').map((c) => [c.metadata.name, c]));
    for (const s of chart.find(objects, 'Service')) {
      this.api.upsertService({
        namespace: r.namespace, name: s.metadata.name, labels: s.metadata.labels, selector: s.spec.selector || {},
        ports: (s.spec.ports || []).map((p) => ({ name: p.name, port: p.port, targetPort: typeof p.targetPort === 'number' ? p.targetPort : p.port })),
        clusterIP: s.spec.clusterIP, publishNotReadyAddresses: s.spec.publishNotReadyAddresses === true,
      });
    }
    for (const o of objects.filter((x) => x.kind === 'StatefulSet' || x.kind === 'Deployment')) {
      let w = r.workloads.find((x) => x.kind === o.kind && x.name === o.metadata.name);
      if (w) w.update(o);
      else {
        w = new Workload(this, r, o);
        r.workloads.push(w);
        this.workloads.push(w);
      }
      // The API server stores the new spec (watchers see spec.replicas change) before the
      // controller acts on it, on its next pass.
      this.publishStatus(w);
    }
  }

  // ------------------------------------------------------------------ scheduler and kubelet

  // Picks the node for a new pod: it must fit the rendered selectors and be schedulable; among
  // those, the one with the fewest pods of the same workload (the chart's soft anti-affinity by
  // hostname and its topology spread both prefer that).
  schedule(w) {
    const spec = w.object.spec.template.spec;
    const candidates = this.nodeSpecs.filter((n) => !this.cordoned.has(n.name)
      && nodeFits(spec, { [ZONE_LABEL]: n.zone, [HOST_LABEL]: n.name, ...(n.labels || {}) }));
    if (candidates.length === 0) return null;
    const load = (n) => w.live().filter((p) => !p.deleted && p.node === n.name).length;
    return candidates.reduce((best, n) => (load(n) < load(best) ? n : best));
  }

  // A new address for every pod, as a cluster's pod network gives (a re-created StatefulSet pod
  // keeps its name, its DNS name and its volume, not its IP); SHOAL_STABLE_POD_IPS=1 keeps it.
  ipFor(name) {
    if (!this.addresses.has(name) || !process.env.SHOAL_STABLE_POD_IPS) {
      if (this.nextHost > 250) throw new Error('out of pod addresses');
      this.addresses.set(name, `127.0.${this.subnet}.${this.nextHost++}`);
    }
    return this.addresses.get(name);
  }

  createPod(w, name, ordinal) {
    const node = this.schedule(w);
    if (!node) {
      w.pending.add(name);
      return false;
    }
    w.pending.delete(name);
    const template = w.object.spec.template;
    const labels = { ...(template.metadata.labels || {}) };
    const persistentVolumes = {};
    if (w.kind === 'StatefulSet') {
      labels['statefulset.kubernetes.io/pod-name'] = name;
      labels['apps.kubernetes.io/pod-index'] = String(ordinal);
      for (const claim of w.object.spec.volumeClaimTemplates || []) {
        persistentVolumes[claim.metadata.name] = this.volumeDir(w.namespace, `${claim.metadata.name}-${name}`);
      }
    }
    const pod = new Pod({
      name, namespace: w.namespace, ip: this.ipFor(name), node: node.name, labels, spec: template.spec,
      dir: path.join(this.dir, 'pods', `${name}-${Date.now().toString(36)}`),
      configMaps: w.release.configMaps, persistentVolumes,
      platformEnv: (p, c) => this.platformEnv(p, c),
      onChange: (p) => this.podChanged(w, p),
    });
    pod.revision = w.revision;
    pod.workload = w;
    pod.release = w.release.name;
    pod.zone = node.zone;
    w.pods.set(name, pod);
    this.allPods.push(pod);
    this.api.upsertPod({ namespace: w.namespace, name, ip: pod.ip, labels, nodeName: node.name, ready: false });
    pod.start();
    return true;
  }

  // A PersistentVolume: its directory outlives the pod (PVC retention Retain).
  volumeDir(namespace, claim) {
    return path.join(this.dir, 'volumes', namespace, claim);
  }

  // What a real pod has that a process here must be told: the API server and service-account
  // files (the member reads them from env), its own address to bind.
  platformEnv(pod) {
    return {
      HAZELCAST_KUBERNETES_KUBERNETES_MASTER: this.api.url,
      HAZELCAST_KUBERNETES_API_TOKEN: this.api.token,
      HAZELCAST_KUBERNETES_CA_CERTIFICATE: this.ca,
      JAVA_OPTS: `-Dhazelcast.local.localAddress=${pod.ip}`,
      POD_IP: pod.ip,
      HOST: pod.ip,
      BIND_ADDRESS: pod.ip, // shoal-sidecar-app's listen address (a pod's 0.0.0.0 is its own)
    };
  }

  podChanged(w, pod) {
    if (pod.terminatedAt) {
      if (w.pods.get(pod.name) === pod) this.api.deletePod(pod.namespace, pod.name);
    } else if (w.pods.get(pod.name) === pod) {
      this.api.upsertPod({ namespace: pod.namespace, name: pod.name, ip: pod.ip, labels: pod.labels, nodeName: pod.node, ready: pod.ready });
    }
    this.publishStatus(w);
    setImmediate(() => this.reconcile());
  }

  publishStatus(w) {
    if (w.kind !== 'StatefulSet' || !this.workloads.includes(w)) return;
    const s = w.status();
    this.api.upsertStatefulSet({
      namespace: w.namespace, name: w.name, replicas: s.replicas, readyReplicas: s.readyReplicas,
      currentReplicas: s.currentReplicas, podManagementPolicy: w.policy, serviceName: w.object.spec.serviceName,
      updatedReplicas: s.updatedReplicas, statusReplicas: s.statusReplicas,
    });
  }

  reconcile() {
    if (this.closed) return;
    for (const w of this.workloads) {
      for (const name of [...w.pending]) if (!w.pods.has(name)) w.pending.delete(name);
      w.reconcile();
      this.publishStatus(w);
    }
  }

  // ------------------------------------------------------------------ the interface

  pod(name) {
    for (const w of this.workloads) if (w.pods.has(name)) return w.pods.get(name);
    throw new Error(`no pod ${name}`);
  }

  // [{name, release, ready, phase, node, zone, ip, restarts}], by name.
  async pods(release) {
    const out = [];
    for (const w of this.workloads) {
      if (release && w.release.name !== release) continue;
      for (const p of w.live()) {
        out.push({ name: p.name, release: w.release.name, workload: `${w.kind}/${w.name}`, ready: p.ready,
          phase: p.deleted ? 'Terminating' : 'Running', node: p.node, zone: p.zone, ip: p.ip, restarts: p.restarts,
          lastExitCode: p.lastExitCode });
      }
      for (const name of w.pending) {
        out.push({ name, release: w.release.name, workload: `${w.kind}/${w.name}`, ready: false, phase: 'Pending', restarts: 0 });
      }
    }
    return out.sort((a, b) => a.name.localeCompare(b.name, 'en', { numeric: true }));
  }

  async statefulSetStatus(release) {
    const w = this.releases.get(release).workloads.find((x) => x.kind === 'StatefulSet');
    return w ? w.status() : null;
  }

  // Resolves when every workload of the release has its replicas, all current and ready.
  async waitForRollout(release, deadlineMs = 120000) {
    const r = this.releases.get(release);
    return waitFor(`${release} rolled out`, deadlineMs, () => r.workloads.every((w) => w.settled()), 100);
  }

  // graceSeconds undefined: the pod's terminationGracePeriodSeconds; 0: SIGKILL at once.
  // Resolves once the pod's containers have exited; the controller then re-creates it.
  async killPod(name, { graceSeconds } = {}) {
    return this.pod(name).delete(graceSeconds);
  }

  // A node fails: every pod on it is SIGKILLed and it takes no new pods; the controllers
  // re-create its pods elsewhere when the rendered placement allows.
  async killNode(node) {
    this.cordoned.add(node);
    const victims = this.workloads.flatMap((w) => w.live()).filter((p) => p.node === node && !p.deleted);
    await Promise.all(victims.map((p) => p.delete(0)));
    return victims.map((p) => p.name);
  }

  async killZone(zone) {
    const nodes = this.nodeSpecs.filter((n) => n.zone === zone).map((n) => n.name);
    return (await Promise.all(nodes.map((n) => this.killNode(n)))).flat();
  }

  async uncordon(node) {
    this.cordoned.delete(node);
  }

  async logs(name, container) {
    const pod = this.allPods.filter((p) => p.name === name).slice(-1)[0];
    if (!pod) throw new Error(`no pod ${name}`);
    return pod.container(container).log();
  }

  // "host:port" at which the suite reaches a pod's port.
  async endpoint(name, port = 5701) {
    return `${this.pod(name).ip}:${port}`;
  }

  // A pod's PersistentVolume is lost (its disk replaced): the pod is deleted (SIGTERM, its grace
  // period), its volume emptied before the controller re-creates it, so it comes back empty.
  async wipeVolume(release, podName) {
    const pod = this.pod(podName);
    const w = pod.workload;
    if (w.release.name !== release) throw new Error(`${podName} is not a pod of ${release}`);
    w.hold.add(podName);
    try {
      await pod.delete();
      for (const claim of w.object.spec.volumeClaimTemplates || []) {
        fs.rmSync(this.volumeDir(w.namespace, `${claim.metadata.name}-${podName}`), { recursive: true, force: true });
      }
    } finally {
      w.hold.delete(podName);
    }
  }

  // helm test: the release's test hook pods run to completion; the Service names they use
  // resolve to a ready pod of that Service. Resolves {ok, logs}.
  async helmTest(release, deadlineMs = 120000) {
    const r = this.releases.get(release);
    const hooks = chart.find(r.objects, 'Pod', (p) => (p.metadata.annotations || {})['helm.sh/hook'] === 'test');
    const results = [];
    for (const hook of hooks) {
      const spec = JSON.parse(JSON.stringify(hook.spec));
      for (const c of spec.containers) {
        for (const e of c.env || []) {
          if (typeof e.value !== 'string') continue;
          e.value = e.value.replace(/\b([a-z0-9-]+)\.([a-z0-9-]+)\.svc(?:\.cluster\.local)?(?=:\d)/g, (all, svc) => {
            const backing = this.workloads.flatMap((w) => w.live()).filter((p) => p.ready && p.namespace === r.namespace);
            const s = chart.find(r.objects, 'Service', (x) => x.metadata.name === svc)[0];
            const match = backing.find((p) => s && Object.entries(s.spec.selector || {}).every(([k, v]) => p.labels[k] === v));
            return match ? match.ip : all;
          });
        }
      }
      const name = hook.metadata.name;
      const pod = new Pod({
        name, namespace: r.namespace, ip: this.ipFor(name), node: this.nodeSpecs[0].name, labels: hook.metadata.labels || {},
        spec, dir: path.join(this.dir, 'pods', `${name}-${Date.now().toString(36)}`), configMaps: r.configMaps,
        persistentVolumes: {}, platformEnv: () => ({}), onChange: () => {},
      }).start();
      this.allPods.push(pod);
      let timer;
      const exits = await Promise.race([
        Promise.all(pod.containers.map((c) => c.exited || Promise.resolve(c.exit))),
        new Promise((resolve) => { timer = setTimeout(() => resolve(null), deadlineMs); }),
      ]);
      clearTimeout(timer);
      if (!exits) await pod.delete(0);
      const ok = Boolean(exits) && exits.every((e) => e && e.code === 0);
      results.push({ name, ok, log: pod.containers.map((c) => c.log()).join('\n') });
    }
    return { ok: hooks.length > 0 && results.every((x) => x.ok), results };
  }

  // Every container log of every pod that ran, newest last (for failure messages).
  allLogs(limit = 200000) {
    return this.allPods.map((p) => p.containers.map((c) => `----- ${p.name}/${c.name} (${p.ip}, ${p.node}) -----\n${c.log()}`).join('\n'))
      .join('\n').slice(-limit);
  }

  async close() {
    this.closed = true;
    clearInterval(this.timer);
    process.removeListener('exit', this.onExit);
    await Promise.all(this.allPods.map((p) => p.delete(0)));
    await this.api.close();
    if (!process.env.SHOAL_KEEP_LOGS) fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

module.exports = { LocalPlatform, HelmError, nodeFits, DEFAULT_NODES };
