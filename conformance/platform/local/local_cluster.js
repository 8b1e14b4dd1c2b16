'use strict';
// A cluster of simulated pods on this machine: member processes on their own loopback
// addresses, discovered through the Kubernetes API stand-in or a real DNS server, with nodes
// and zones for NODE_AWARE / ZONE_AWARE placement. The scenarios drive it; it keeps the API's
// Pods, Endpoints and DNS records in step with the processes, as Kubernetes would.
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { startKubeApi } = require('../kube-api/server');
const { DnsServer } = require('./dns_server');
const { MemberProcess } = require('./member_process');
const rest = require('./rest');
const { waitFor } = require('../wait');

const NAMESPACE = 'default';
const SERVICE = 'shoal';
const SERVICE_DNS = `${SERVICE}.${NAMESPACE}.svc.cluster.local`;
const SELECTOR_ENV = {
  'service-name': { HAZELCAST_KUBERNETES_SERVICE_NAME: SERVICE },
  'service-label': { HAZELCAST_KUBERNETES_SERVICE_LABEL_NAME: 'app', HAZELCAST_KUBERNETES_SERVICE_LABEL_VALUE: 'shoal' },
  'pod-label': { HAZELCAST_KUBERNETES_POD_LABEL_NAME: 'app', HAZELCAST_KUBERNETES_POD_LABEL_VALUE: 'shoal' },
};

class LocalCluster {
  // discovery: 'kubernetes' (API, by service name) or 'dns'; subnet: the third octet of this
  // cluster's pod addresses (127.0.<subnet>.<n>), distinct per scenario file.
  // selector: how Kubernetes API discovery picks the members ('service-name', 'service-label'
  // or 'pod-label'; Service and pods carry the label app=shoal).
  // persistence: each pod keeps its data in a directory of its own (its PersistentVolume),
  // kept across restart(); the members' StatefulSet is served by the API stand-in.
  constructor({ discovery = 'kubernetes', selector = 'service-name', subnet, groupType = null, backupCount = 1, args = [],
    persistence = false }) {
    this.discovery = discovery;
    this.selector = selector;
    this.persistence = persistence;
    this.subnet = subnet;
    this.groupType = groupType;
    this.backupCount = backupCount;
    this.args = args;
    this.members = [];
    this.nextOrdinal = 0;
  }

  async start() {
    this.dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shoal-conformance-'));
    if (this.discovery === 'kubernetes') {
      // On 127.0.0.1 (a port of its own per cluster): the address its certificate names.
      this.api = await startKubeApi({ dir: this.dir, host: '127.0.0.1' });
      this.api.upsertService({ name: SERVICE, selector: { app: 'shoal' }, labels: { app: 'shoal' } });
    } else {
      this.dns = await new DnsServer({ ip: `127.0.${this.subnet}.253`, dir: this.dir }).start();
    }
    return this;
  }

  env(name, { node, zone }) {
    const env = {
      POD_NAME: name,
      HZ_MAP_DEFAULT_BACKUPCOUNT: String(this.backupCount),
      HZ_NETWORK_JOIN_KUBERNETES_ENABLED: 'true',
    };
    if (this.discovery === 'kubernetes') {
      Object.assign(env, {
        KUBERNETES_NAMESPACE: NAMESPACE,
        ...SELECTOR_ENV[this.selector],
        HAZELCAST_KUBERNETES_KUBERNETES_MASTER: this.api.url,
        HAZELCAST_KUBERNETES_API_TOKEN: this.api.token,
        HAZELCAST_KUBERNETES_CA_CERTIFICATE: fs.readFileSync(this.api.caFile, 'utf8'),
      });
    } else {
      env.HAZELCAST_KUBERNETES_SERVICE_DNS = SERVICE_DNS;
      env.HAZELCAST_KUBERNETES_SERVICE_DNS_TIMEOUT = '2';
      // Outside the API, node and zone come from the pod spec (downward API) as properties.
      env.JAVA_OPTS = `-Dhazelcast.partition.group.node=${node} -Dhazelcast.partition.group.zone=${zone}`;
    }
    if (this.persistence) {
      env.HZ_PERSISTENCE_ENABLED = 'true';
      env.HZ_PERSISTENCE_BASEDIR = path.join(this.dir, `volume-${name}`);
      // As the chart sets it: a pod restarted with its persisted UUID rejoins after 5 s, not 30.
      env.JAVA_OPTS = `${env.JAVA_OPTS ?? ''} -Dhazelcast.stale.join.prevention.duration.seconds=5`.trim();
    }
    if (this.groupType) {
      env.HZ_PARTITIONGROUP_ENABLED = 'true';
      env.HZ_PARTITIONGROUP_GROUPTYPE = this.groupType;
    }
    return env;
  }

  // Starts one more member (a pod scheduled on `node` in `zone`); does not wait for it.
  addMember({ node = 'node-0', zone = 'zone-a', env = {} } = {}) {
    const ordinal = this.nextOrdinal++;
    const name = `shoal-${ordinal}`;
    const ip = `127.0.${this.subnet}.${ordinal + 1}`;
    if (this.api) {
      this.api.upsertNode({ name: node, labels: { 'topology.kubernetes.io/zone': zone, 'kubernetes.io/hostname': node } });
      this.api.upsertPod({ namespace: NAMESPACE, name, ip, labels: { app: 'shoal' }, nodeName: node, ready: true });
    } else {
      this.dns.add(SERVICE_DNS, ip);
    }
    const member = new MemberProcess({
      name, ip, env: { ...this.env(name, { node, zone }), ...env }, args: this.args, logDir: this.dir,
      resolvConf: this.dns ? this.dns.resolvConf : null,
    }).start();
    member.node = node;
    member.zone = zone;
    member.exited.then(() => this.forget(member));
    this.members.push(member);
    return member;
  }

  // Starts a stopped member again as the same pod: same name, address, environment and
  // (with persistence) the same data directory.
  restart(member) {
    if (member.running) throw new Error(`${member.name} is still running`);
    if (this.api) {
      this.api.upsertPod({ namespace: NAMESPACE, name: member.name, ip: member.ip, labels: { app: 'shoal' }, nodeName: member.node, ready: true });
    } else {
      this.dns.add(SERVICE_DNS, member.ip);
    }
    const again = new MemberProcess({
      name: member.name, ip: member.ip, env: member.env, args: member.args, logDir: this.dir, resolvConf: member.resolvConf,
    }).start();
    again.node = member.node;
    again.zone = member.zone;
    again.exited.then(() => this.forget(again));
    this.members[this.members.indexOf(member)] = again;
    return again;
  }

  // The StatefulSet as its controller would report it: `replicas` wanted, readyReplicas the
  // running members whose readiness probe passes (`notReady` members are counted out, as a
  // terminating pod is).
  async syncStatefulSet(replicas, notReady = []) {
    const ready = await Promise.all(this.running().filter((m) => !notReady.includes(m)).map(async (m) => {
      try {
        return (await rest.request(m.ip, 'GET', '/hazelcast/health/ready', null, 2000)).status === 200;
      } catch (e) {
        return false;
      }
    }));
    const readyReplicas = ready.filter(Boolean).length;
    this.api.upsertStatefulSet({ namespace: NAMESPACE, name: SERVICE, replicas, readyReplicas, currentReplicas: replicas });
    return readyReplicas;
  }

  // As Kubernetes does once a pod is gone: out of the Endpoints and DNS.
  forget(member) {
    if (this.api) this.api.deletePod(NAMESPACE, member.name);
    if (this.dns) this.dns.remove(SERVICE_DNS, member.ip);
  }

  running() {
    return this.members.filter((m) => m.running);
  }

  // Every running member reports `size` members and the ACTIVE state.
  async waitForSize(size, deadlineMs = 30000) {
    return waitFor(`a cluster of ${size}`, deadlineMs, async () => {
      const sizes = await Promise.all(this.running().map(async (m) => (await rest.health(m.ip)).clusterSize));
      return sizes.length === size && sizes.every((s) => s === size) ? sizes : false;
    });
  }

  // cluster-safe on every running member: all replicas in sync, no migration.
  async waitForSafe(deadlineMs = 120000) {
    return waitFor('a safe cluster', deadlineMs, async () => {
      const safe = await Promise.all(this.running().map(async (m) => (await rest.health(m.ip)).clusterSafe));
      return safe.every(Boolean) ? safe : false;
    }, 200);
  }

  logs() {
    return this.members.map((m) => `----- ${m.name} (${m.ip}) -----\n${m.log()}`).join('\n');
  }

  async close() {
    await Promise.all(this.members.map((m) => m.kill('SIGKILL')));
    if (this.api) await this.api.close();
    if (this.dns) await this.dns.close();
    if (!process.env.SHOAL_KEEP_LOGS) fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

// Runs `body(cluster)` on a started cluster that is closed after the test; on failure the
// members' logs (the last `logBytes` of them) are attached to the error.
async function withCluster(t, options, body, logBytes = 200000) {
  const cluster = await new LocalCluster(options).start();
  t.after(() => cluster.close());
  try {
    await body(cluster);
  } catch (e) {
    e.message += `\n${cluster.logs().slice(-logBytes)}`;
    throw e;
  }
}

module.exports = { LocalCluster, withCluster, waitFor, SERVICE_DNS };
