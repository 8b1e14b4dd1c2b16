'use strict';
// The slice of the Kubernetes API a Shoal member uses, served over HTTPS with a bearer token:
// Pods, Nodes, Services, Endpoints and EndpointSlices derived from the pods behind each
// Service, and StatefulSets with watch. The local platform keeps it in step with the member
// processes it runs, so the member's real Kubernetes discovery and zone detection run.
const https = require('node:https');
const fs = require('node:fs');
const path = require('node:path');
const { makeCerts } = require('./certs');

function status(code, reason, message) {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code };
}

// "a=b,c=d" -> {a:'b', c:'d'}; null when malformed. Only equality selectors are needed.
function parseSelector(text) {
  const wanted = {};
  if (!text) return wanted;
  for (const term of text.split(',')) {
    const match = /^([A-Za-z0-9./_-]+)==?([A-Za-z0-9._-]*)$/.exec(term);
    if (!match) return null;
    wanted[match[1]] = match[2];
  }
  return wanted;
}

function matches(labels, wanted) {
  return Object.entries(wanted).every(([k, v]) => (labels || {})[k] === v);
}

class KubeApi {
  constructor({ host = '127.0.0.1', dir, token = 'shoal-test-token' }) {
    this.host = host;
    this.dir = dir;
    this.token = token;
    this.resourceVersion = 1;
    this.pods = new Map(); // "ns/name" -> pod
    this.nodes = new Map();
    this.services = new Map();
    this.statefulSets = new Map();
    this.denied = [];
    this.requests = [];
    this.watchers = new Set();
  }

  async start(port = 0) {
    const certs = makeCerts(path.join(this.dir, 'certs'), this.host);
    this.caFile = certs.caFile;
    this.tokenFile = path.join(this.dir, 'token');
    fs.writeFileSync(this.tokenFile, this.token);
    this.server = https.createServer({ cert: fs.readFileSync(certs.certFile), key: fs.readFileSync(certs.keyFile) },
      (req, res) => this.handle(req, res));
    await new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, this.host, resolve);
    });
    this.url = `https://${this.host}:${this.server.address().port}`;
    return this;
  }

  async close() {
    for (const w of this.watchers) w.res.end();
    this.watchers.clear();
    this.server.closeAllConnections?.();
    await new Promise((resolve) => this.server.close(resolve));
  }

  // ---- state the platform changes --------------------------------------------------------

  bump() {
    this.resourceVersion += 1;
    return String(this.resourceVersion);
  }

  upsertNode({ name, labels = {} }) {
    this.nodes.set(name, { apiVersion: 'v1', kind: 'Node', metadata: { name, labels, resourceVersion: this.bump() } });
  }

  upsertPod({ namespace = 'default', name, ip, labels = {}, nodeName = '', ready = true }) {
    this.pods.set(`${namespace}/${name}`, {
      apiVersion: 'v1', kind: 'Pod',
      metadata: { name, namespace, labels, uid: `uid-${namespace}-${name}`, resourceVersion: this.bump() },
      spec: { nodeName },
      status: {
        phase: 'Running', podIP: ip, podIPs: [{ ip }],
        conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }],
      },
    });
  }

  deletePod(namespace, name) {
    this.pods.delete(`${namespace}/${name}`);
    this.bump();
  }

  upsertService({ namespace = 'default', name, labels = {}, selector = {}, ports = [{ name: 'hazelcast', port: 5701 }] }) {
    this.services.set(`${namespace}/${name}`, {
      apiVersion: 'v1', kind: 'Service',
      metadata: { name, namespace, labels, resourceVersion: this.bump() },
      spec: { clusterIP: 'None', selector, ports: ports.map((p) => ({ protocol: 'TCP', ...p })) },
    });
  }

  upsertStatefulSet({ namespace = 'default', name, replicas, readyReplicas = replicas, currentReplicas = replicas }) {
    const key = `${namespace}/${name}`;
    const type = this.statefulSets.has(key) ? 'MODIFIED' : 'ADDED';
    const sts = {
      apiVersion: 'apps/v1', kind: 'StatefulSet',
      metadata: { name, namespace, resourceVersion: this.bump() },
      spec: { replicas },
      status: { replicas, readyReplicas, currentReplicas },
    };
    this.statefulSets.set(key, sts);
    for (const w of this.watchers) {
      if (w.namespace === namespace && w.name === name) w.res.write(`${JSON.stringify({ type, object: sts })}\n`);
    }
  }

  // Requests to paths matching this regex get 403, as a missing RBAC rule does.
  deny(pathRegex) {
    this.denied.push(pathRegex);
  }

  // ---- serving ---------------------------------------------------------------------------

  handle(req, res) {
    const url = new URL(req.url, this.url);
    this.requests.push({ method: req.method, path: url.pathname, query: Object.fromEntries(url.searchParams) });
    const send = (code, body) => {
      res.writeHead(code, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (req.headers.authorization !== `Bearer ${this.token}`) {
      return send(401, status(401, 'Unauthorized', 'Unauthorized'));
    }
    if (this.denied.some((re) => re.test(url.pathname))) {
      return send(403, status(403, 'Forbidden', `${url.pathname} is forbidden: User "system:serviceaccount:test" cannot access it`));
    }
    if (req.method !== 'GET') return send(405, status(405, 'MethodNotAllowed', 'only GET is served'));
    const selector = parseSelector(url.searchParams.get('labelSelector'));
    if (selector === null) return send(400, status(400, 'BadRequest', 'unable to parse requirement'));
    try {
      const answer = this.route(url, selector, req, res);
      if (answer === undefined) return undefined; // a watch keeps the response open
      if (answer === null) return send(404, status(404, 'NotFound', `${url.pathname} not found`));
      return send(200, answer);
    } catch (e) {
      return send(500, status(500, 'InternalError', String(e)));
    }
  }

  route(url, selector, req, res) {
    const p = url.pathname;
    let m;
    if ((m = /^\/api\/v1\/nodes\/([^/]+)$/.exec(p))) return this.nodes.get(m[1]) ?? null;
    if ((m = /^\/api\/v1\/namespaces\/([^/]+)\/pods$/.exec(p))) {
      return this.list('PodList', [...this.pods.values()].filter((pod) => pod.metadata.namespace === m[1]
        && matches(pod.metadata.labels, selector)));
    }
    if ((m = /^\/api\/v1\/namespaces\/([^/]+)\/pods\/([^/]+)$/.exec(p))) return this.pods.get(`${m[1]}/${m[2]}`) ?? null;
    if ((m = /^\/api\/v1\/namespaces\/([^/]+)\/services$/.exec(p))) {
      return this.list('ServiceList', this.servicesIn(m[1]).filter((s) => matches(s.metadata.labels, selector)));
    }
    if ((m = /^\/api\/v1\/namespaces\/([^/]+)\/services\/([^/]+)$/.exec(p))) return this.services.get(`${m[1]}/${m[2]}`) ?? null;
    if ((m = /^\/api\/v1\/namespaces\/([^/]+)\/endpoints\/([^/]+)$/.exec(p))) {
      const service = this.services.get(`${m[1]}/${m[2]}`);
      return service ? this.endpointsOf(service) : null;
    }
    if ((m = /^\/apis\/discovery\.k8s\.io\/v1\/namespaces\/([^/]+)\/endpointslices$/.exec(p))) {
      const slices = this.servicesIn(m[1]).map((s) => this.sliceOf(s)).filter((s) => matches(s.metadata.labels, selector));
      return this.list('EndpointSliceList', slices, 'discovery.k8s.io/v1');
    }
    if ((m = /^\/apis\/apps\/v1\/namespaces\/([^/]+)\/statefulsets$/.exec(p))) {
      const field = /^metadata\.name=(.+)$/.exec(url.searchParams.get('fieldSelector') || '');
      const name = field ? field[1] : null;
      const watch = ['1', 'true'].includes(url.searchParams.get('watch'));
      if (watch) return this.watchStatefulSet(m[1], name, req, res);
      const items = [...this.statefulSets.values()].filter((s) => s.metadata.namespace === m[1]
        && (name === null || s.metadata.name === name));
      return this.list('StatefulSetList', items, 'apps/v1');
    }
    return null;
  }

  list(kind, items, apiVersion = 'v1') {
    return { apiVersion, kind, metadata: { resourceVersion: String(this.resourceVersion) }, items };
  }

  servicesIn(namespace) {
    return [...this.services.values()].filter((s) => s.metadata.namespace === namespace);
  }

  podsBehind(service) {
    const { namespace } = service.metadata;
    return [...this.pods.values()].filter((pod) => pod.metadata.namespace === namespace
      && Object.keys(service.spec.selector).length > 0 && matches(pod.metadata.labels, service.spec.selector));
  }

  static ready(pod) {
    return pod.status.conditions.some((c) => c.type === 'Ready' && c.status === 'True');
  }

  endpointsOf(service) {
    const address = (pod) => ({
      ip: pod.status.podIP, nodeName: pod.spec.nodeName,
      targetRef: { kind: 'Pod', name: pod.metadata.name, namespace: pod.metadata.namespace },
    });
    const pods = this.podsBehind(service);
    const ready = pods.filter(KubeApi.ready).map(address);
    const notReady = pods.filter((pod) => !KubeApi.ready(pod)).map(address);
    const subset = { ports: service.spec.ports };
    if (ready.length) subset.addresses = ready;
    if (notReady.length) subset.notReadyAddresses = notReady;
    return {
      apiVersion: 'v1', kind: 'Endpoints',
      metadata: { name: service.metadata.name, namespace: service.metadata.namespace, resourceVersion: String(this.resourceVersion) },
      subsets: pods.length ? [subset] : [],
    };
  }

  sliceOf(service) {
    const { name, namespace } = service.metadata;
    return {
      apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', addressType: 'IPv4',
      metadata: { name: `${name}-slice`, namespace, labels: { ...service.metadata.labels, 'kubernetes.io/service-name': name } },
      endpoints: this.podsBehind(service).map((pod) => ({
        addresses: [pod.status.podIP],
        conditions: { ready: KubeApi.ready(pod), serving: KubeApi.ready(pod), terminating: false },
        nodeName: pod.spec.nodeName,
        targetRef: { kind: 'Pod', name: pod.metadata.name, namespace },
      })),
      ports: service.spec.ports,
    };
  }

  watchStatefulSet(namespace, name, req, res) {
    res.writeHead(200, { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked' });
    res.flushHeaders();
    const watcher = { namespace, name, res };
    this.watchers.add(watcher);
    req.on('close', () => this.watchers.delete(watcher));
    return undefined;
  }
}

async function startKubeApi(options) {
  return new KubeApi(options).start(options.port);
}

module.exports = { startKubeApi, KubeApi, parseSelector };
