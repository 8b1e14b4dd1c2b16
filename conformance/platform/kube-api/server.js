'use strict';
// A stand-in for the slice of the Kubernetes API a Hazelcast-style member reads: Pods, Nodes,
// Services, Endpoints and EndpointSlices (derived from the Services' selectors over the Pods,
// as the real controllers do), and StatefulSets with watch. It speaks HTTPS with a CA the
// member must verify, demands the bearer token, and answers errors with Kubernetes Status
// bodies, so the member's real discovery code runs unchanged on one machine.
const crypto = require('node:crypto');
const fs = require('node:fs');
const https = require('node:https');
const os = require('node:os');
const path = require('node:path');
const { makeCerts } = require('./certs');

// The identity RBAC messages name; a member in a pod runs as its namespace's service account.
const USER = 'system:serviceaccount:default:default';
const ZONE_LABEL = 'topology.kubernetes.io/zone';
const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';

// ---------------------------------------------------------------------------------------------
// Status bodies, shaped like the API server's.

function status(code, reason, message, details) {
  const body = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason };
  if (details) body.details = details;
  body.code = code;
  return body;
}

class ApiError extends Error {
  constructor(code, reason, message, details) {
    super(message);
    this.body = status(code, reason, message, details);
  }
}

const badRequest = (message) => new ApiError(400, 'BadRequest', message);

// ---------------------------------------------------------------------------------------------
// Label and field selectors. The member builds these from its configuration, so a malformed
// one must fail loudly (400) rather than quietly match nothing or everything.

const LABEL_NAME = /^[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const LABEL_VALUE = /^([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?$/;

function validKey(key) {
  const slash = key.indexOf('/');
  if (slash < 0) return LABEL_NAME.test(key);
  const prefix = key.slice(0, slash);
  return prefix.length <= 253 && DNS_SUBDOMAIN.test(prefix) && LABEL_NAME.test(key.slice(slash + 1));
}

// Split on commas that are not inside "in (a,b)" parentheses.
function splitTerms(text) {
  const terms = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '(') depth++;
    else if (text[i] === ')') depth--;
    else if (text[i] === ',' && depth === 0) {
      terms.push(text.slice(start, i));
      start = i + 1;
    }
  }
  terms.push(text.slice(start));
  return terms.map((t) => t.trim());
}

// Returns a predicate over a labels object. Supports =, ==, !=, in, notin, key and !key.
function parseLabelSelector(text) {
  if (text === undefined || text === null || text.trim() === '') return () => true;
  const tests = splitTerms(text).map((term) => {
    const fail = () => badRequest(`unable to parse requirement: invalid label selector term "${term}"`);
    let m;
    if ((m = /^([^\s!=(),]+)\s*(==|=|!=)\s*([^\s!=(),]*)$/.exec(term))) {
      const [, key, op, value] = m;
      if (!validKey(key) || !LABEL_VALUE.test(value)) throw fail();
      return op === '!=' ? (l) => l[key] !== value : (l) => l[key] === value;
    }
    if ((m = /^([^\s!=(),]+)\s+(in|notin)\s*\(([^()]*)\)$/.exec(term))) {
      const [, key, op] = m;
      const values = m[3].split(',').map((v) => v.trim());
      if (!validKey(key) || !values.every((v) => LABEL_VALUE.test(v))) throw fail();
      return op === 'in' ? (l) => values.includes(l[key]) : (l) => !values.includes(l[key]);
    }
    if ((m = /^(!?)([^\s!=(),]+)$/.exec(term))) {
      const [, not, key] = m;
      if (!validKey(key)) throw fail();
      return not ? (l) => !(key in l) : (l) => key in l;
    }
    throw fail();
  });
  return (labels) => tests.every((t) => t(labels || {}));
}

// Field selectors: only the fields the real API server allows for each resource.
function parseFieldSelector(text, fields) {
  if (text === undefined || text === null || text.trim() === '') return () => true;
  const tests = text.split(',').map((term) => {
    const m = /^\s*([A-Za-z.]+)\s*(==|=|!=)\s*([^,]*?)\s*$/.exec(term);
    if (!m) throw badRequest(`invalid field selector term "${term}"`);
    const [, field, op, value] = m;
    const get = fields[field];
    if (!get) throw badRequest(`field label not supported: ${field}`);
    return op === '!=' ? (o) => get(o) !== value : (o) => get(o) === value;
  });
  return (object) => tests.every((t) => t(object));
}

const metadataFields = {
  'metadata.name': (o) => o.metadata.name,
  'metadata.namespace': (o) => o.metadata.namespace,
};

// True when every key/value of a Service selector is on the labels. An empty selector means
// "not managed by the endpoints controllers", which callers handle before asking this.
function selects(selector, labels) {
  return Object.entries(selector).every(([k, v]) => (labels || {})[k] === v);
}

const key = (namespace, name) => `${namespace}/${name}`;
const clone = (o) => JSON.parse(JSON.stringify(o));
const sortBy = (items, f) => items.sort((a, b) => (f(a) < f(b) ? -1 : f(a) > f(b) ? 1 : 0));

// ---------------------------------------------------------------------------------------------

class KubeApi {
  constructor({ dir, token }) {
    this.dir = dir;
    this.token = token;
    this.revision = 1; // the global resourceVersion counter
    this.nodes = new Map(); // name -> Node
    this.pods = new Map(); // "ns/name" -> Pod
    this.services = new Map(); // "ns/name" -> Service
    this.statefulSets = new Map(); // "ns/name" -> StatefulSet
    this.statefulSetEvents = []; // every watch event ever, so a watch from resourceVersion N can replay
    this.watchers = new Set();
    this.denied = [];
    this.requests = [];
    this.resources = this.resourceTable();
  }

  // Every mutation takes the next resourceVersion, as etcd's revision does.
  bump() {
    this.revision += 1;
    return String(this.revision);
  }

  newMetadata(previous, namespace, name, labels) {
    const metadata = {
      name,
      uid: previous ? previous.metadata.uid : crypto.randomUUID(),
      resourceVersion: this.bump(),
      creationTimestamp: previous ? previous.metadata.creationTimestamp : new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
    };
    if (namespace !== undefined) metadata.namespace = namespace;
    if (labels && Object.keys(labels).length > 0) metadata.labels = { ...labels };
    return metadata;
  }

  // ------------------------------------------------------------------ state mutators

  upsertNode({ name, labels = {} }) {
    const node = {
      metadata: this.newMetadata(this.nodes.get(name), undefined, name, labels),
      spec: {},
      status: {},
    };
    this.nodes.set(name, node);
    return clone(node);
  }

  upsertPod({ namespace = 'default', name, ip, labels = {}, nodeName, ready = true }) {
    const previous = this.pods.get(key(namespace, name));
    const pod = {
      metadata: this.newMetadata(previous, namespace, name, labels),
      spec: nodeName ? { nodeName } : {},
      status: {
        phase: 'Running',
        conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }],
      },
    };
    if (ip) {
      pod.status.podIP = ip;
      pod.status.podIPs = [{ ip }];
    }
    this.pods.set(key(namespace, name), pod);
    return clone(pod);
  }

  deletePod(namespace, name) {
    const existed = this.pods.delete(key(namespace, name));
    if (existed) this.bump();
    return existed;
  }

  // publishNotReadyAddresses and clusterIP are extras beyond the brief: Hazelcast's Helm chart
  // uses a headless Service that publishes not-ready addresses, and discovery must cope.
  upsertService({
    namespace = 'default', name, labels = {}, selector = {}, ports = [{ name: 'hazelcast', port: 5701 }],
    clusterIP, publishNotReadyAddresses = false,
  }) {
    const previous = this.services.get(key(namespace, name));
    const service = {
      metadata: this.newMetadata(previous, namespace, name, labels),
      spec: {
        ports: ports.map((p) => ({
          name: p.name, protocol: p.protocol || 'TCP', port: p.port, targetPort: p.targetPort ?? p.port,
        })),
        clusterIP: clusterIP || (previous ? previous.spec.clusterIP : `10.96.0.${10 + this.services.size}`),
        type: 'ClusterIP',
        sessionAffinity: 'None',
      },
      status: { loadBalancer: {} },
    };
    if (Object.keys(selector).length > 0) service.spec.selector = { ...selector };
    if (publishNotReadyAddresses) service.spec.publishNotReadyAddresses = true;
    this.services.set(key(namespace, name), service);
    return clone(service);
  }

  // Fields left undefined keep their previous values, so a test can move one number at a time.
  // statusReplicas (status.replicas: pods that exist) defaults to currentReplicas; updatedReplicas,
  // podManagementPolicy and serviceName are there for a controller that reports them (the local
  // platform's).
  upsertStatefulSet({
    namespace = 'default', name, replicas, readyReplicas, currentReplicas, statusReplicas, updatedReplicas,
    podManagementPolicy, serviceName,
  }) {
    const previous = this.statefulSets.get(key(namespace, name));
    const old = previous
      ? {
        replicas: previous.spec.replicas, ready: previous.status.readyReplicas || 0, current: previous.status.currentReplicas || 0,
        status: previous.status.replicas || 0, updated: previous.status.updatedReplicas,
        policy: previous.spec.podManagementPolicy, serviceName: previous.spec.serviceName,
      }
      : { replicas: 1, ready: 0, current: 0, status: 0, updated: undefined, policy: 'OrderedReady', serviceName: name };
    const next = {
      replicas: replicas ?? old.replicas,
      ready: readyReplicas ?? old.ready,
      current: currentReplicas ?? old.current,
      updated: updatedReplicas ?? old.updated,
      policy: podManagementPolicy ?? old.policy,
      serviceName: serviceName ?? old.serviceName,
    };
    next.status = statusReplicas ?? (currentReplicas !== undefined || !previous ? next.current : old.status);
    // A no-op update does not change the object on a real server, so no event and no new version.
    if (previous && Object.keys(next).every((k) => next[k] === old[k])) {
      return clone(previous);
    }
    const generation = previous ? previous.metadata.generation + (next.replicas !== old.replicas ? 1 : 0) : 1;
    const statefulSet = {
      metadata: { ...this.newMetadata(previous, namespace, name), generation },
      spec: { replicas: next.replicas, serviceName: next.serviceName, podManagementPolicy: next.policy },
      status: { observedGeneration: generation, replicas: next.status },
    };
    // The real status fields are omitempty: a zero readyReplicas is absent, not 0.
    if (next.ready) statefulSet.status.readyReplicas = next.ready;
    if (next.current) statefulSet.status.currentReplicas = next.current;
    if (next.updated) statefulSet.status.updatedReplicas = next.updated;
    this.statefulSets.set(key(namespace, name), statefulSet);
    this.publish(previous ? 'MODIFIED' : 'ADDED', statefulSet);
    return clone(statefulSet);
  }

  deleteStatefulSet(namespace, name) {
    const previous = this.statefulSets.get(key(namespace, name));
    if (!previous) return false;
    this.statefulSets.delete(key(namespace, name));
    const gone = clone(previous);
    gone.metadata.resourceVersion = this.bump();
    this.publish('DELETED', gone);
    return true;
  }

  // Requests whose path matches are refused with 403, as RBAC would refuse them.
  deny(pathRegex) {
    this.denied.push(pathRegex instanceof RegExp ? pathRegex : new RegExp(pathRegex));
  }

  allow() {
    this.denied = [];
  }

  // ------------------------------------------------------------------ derived objects

  // The Services the endpoints controllers manage: those with a selector.
  selectingServices(namespace) {
    return [...this.services.values()].filter((s) =>
      (namespace === null || s.metadata.namespace === namespace) && s.spec.selector);
  }

  // The Pods behind a Service that have an address, sorted by IP as the controller sorts them.
  backingPods(service) {
    const pods = [...this.pods.values()].filter((p) =>
      p.metadata.namespace === service.metadata.namespace && p.status.podIP &&
      selects(service.spec.selector, p.metadata.labels));
    return sortBy(pods, (p) => p.status.podIP);
  }

  isReady(pod, service) {
    return service.spec.publishNotReadyAddresses === true ||
      pod.status.conditions.some((c) => c.type === 'Ready' && c.status === 'True');
  }

  // Endpoints and EndpointSlices carry the Service's labels (the controllers copy them).
  derivedLabels(service) {
    const labels = { ...(service.metadata.labels || {}) };
    if (service.spec.clusterIP === 'None') labels['service.kubernetes.io/headless'] = '';
    return labels;
  }

  endpointsFor(service) {
    const { name, namespace } = service.metadata;
    const address = (p) => {
      const a = { ip: p.status.podIP };
      if (p.spec.nodeName) a.nodeName = p.spec.nodeName;
      a.targetRef = { kind: 'Pod', namespace, name: p.metadata.name, uid: p.metadata.uid };
      return a;
    };
    const pods = this.backingPods(service);
    const ready = pods.filter((p) => this.isReady(p, service)).map(address);
    const notReady = pods.filter((p) => !this.isReady(p, service)).map(address);
    const endpoints = {
      metadata: { name, namespace, uid: service.metadata.uid, resourceVersion: String(this.revision) },
    };
    const labels = this.derivedLabels(service);
    if (Object.keys(labels).length > 0) endpoints.metadata.labels = labels;
    // Empty lists are omitted, and an Endpoints with no pods has no subsets at all, as on a real cluster.
    if (pods.length > 0) {
      const subset = {};
      if (ready.length) subset.addresses = ready;
      if (notReady.length) subset.notReadyAddresses = notReady;
      subset.ports = service.spec.ports.map((p) => ({ name: p.name, port: p.targetPort, protocol: p.protocol }));
      endpoints.subsets = [subset];
    }
    return endpoints;
  }

  endpointSliceFor(service) {
    const { name, namespace } = service.metadata;
    // Real slices get a generated suffix; a stable one keeps GET-by-name usable in tests.
    const suffix = crypto.createHash('sha1').update(key(namespace, name)).digest('hex').slice(0, 5);
    const endpoints = this.backingPods(service).map((p) => {
      const ready = this.isReady(p, service);
      const endpoint = {
        addresses: [p.status.podIP],
        conditions: { ready, serving: ready, terminating: false },
      };
      if (p.spec.nodeName) endpoint.nodeName = p.spec.nodeName;
      endpoint.targetRef = { kind: 'Pod', namespace, name: p.metadata.name, uid: p.metadata.uid };
      const zone = p.spec.nodeName && this.nodes.get(p.spec.nodeName)?.metadata.labels?.[ZONE_LABEL];
      if (zone) endpoint.zone = zone;
      return endpoint;
    });
    return {
      metadata: {
        name: `${name}-${suffix}`,
        generateName: `${name}-`,
        namespace,
        uid: crypto.createHash('sha1').update(`slice/${service.metadata.uid}`).digest('hex').slice(0, 32)
          .replace(/^(.{8})(.{4})(.{4})(.{4})(.{12})$/, '$1-$2-$3-$4-$5'),
        resourceVersion: String(this.revision),
        labels: {
          ...this.derivedLabels(service),
          'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io',
          [SERVICE_NAME_LABEL]: name,
        },
        ownerReferences: [{
          apiVersion: 'v1', kind: 'Service', name, uid: service.metadata.uid, controller: true, blockOwnerDeletion: true,
        }],
      },
      addressType: 'IPv4',
      endpoints,
      ports: service.spec.ports.map((p) => ({ name: p.name, port: p.targetPort, protocol: p.protocol })),
    };
  }

  // ------------------------------------------------------------------ resource table

  // Each served resource: where it lives, its kinds, and how to list its objects in a namespace
  // (null = all namespaces). Objects are built without kind/apiVersion, as list items are.
  resourceTable() {
    const inNamespace = (map) => (ns) => [...map.values()].filter((o) => ns === null || o.metadata.namespace === ns);
    const table = [
      {
        group: '', version: 'v1', resource: 'pods', kind: 'Pod', namespaced: true,
        objects: inNamespace(this.pods),
        fields: {
          ...metadataFields,
          'spec.nodeName': (o) => o.spec.nodeName || '',
          'status.phase': (o) => o.status.phase,
          'status.podIP': (o) => o.status.podIP || '',
        },
      },
      { group: '', version: 'v1', resource: 'nodes', kind: 'Node', namespaced: false, objects: () => [...this.nodes.values()] },
      { group: '', version: 'v1', resource: 'services', kind: 'Service', namespaced: true, objects: inNamespace(this.services) },
      {
        group: '', version: 'v1', resource: 'endpoints', kind: 'Endpoints', namespaced: true,
        objects: (ns) => this.selectingServices(ns).map((s) => this.endpointsFor(s)),
      },
      {
        group: 'discovery.k8s.io', version: 'v1', resource: 'endpointslices', kind: 'EndpointSlice', namespaced: true,
        objects: (ns) => this.selectingServices(ns).map((s) => this.endpointSliceFor(s)),
      },
      {
        group: 'apps', version: 'v1', resource: 'statefulsets', kind: 'StatefulSet', namespaced: true,
        objects: inNamespace(this.statefulSets), watchable: true,
      },
    ];
    for (const r of table) {
      r.apiVersion = r.group ? `${r.group}/${r.version}` : r.version;
      r.fields = r.fields || metadataFields;
    }
    return table;
  }

  // /api/v1/[namespaces/{ns}/]{resource}[/{name}] or /apis/{group}/{version}/...; null if unknown.
  route(pathname) {
    const parts = pathname.split('/').filter(Boolean).map(decodeURIComponent);
    let group;
    let version;
    let rest;
    if (parts[0] === 'api') [group, version, rest] = ['', parts[1], parts.slice(2)];
    else if (parts[0] === 'apis') [group, version, rest] = [parts[1], parts[2], parts.slice(3)];
    else return null;
    let namespace = null;
    if (rest[0] === 'namespaces' && rest.length >= 3) {
      namespace = rest[1];
      rest = rest.slice(2);
    }
    if (rest.length < 1 || rest.length > 2) return null;
    const resource = this.resources.find((r) => r.group === group && r.version === version && r.resource === rest[0]);
    if (!resource) return null;
    if (!resource.namespaced && namespace !== null) return null;
    if (resource.namespaced && namespace === null && rest.length === 2) return null;
    return { resource, namespace, name: rest[1] };
  }

  // ------------------------------------------------------------------ HTTP

  handle(req, res) {
    const url = new URL(req.url, 'https://stand-in');
    const query = Object.fromEntries(url.searchParams);
    this.requests.push({ method: req.method, path: url.pathname, query });
    try {
      // Authentication comes before everything, as on the API server.
      if (req.headers.authorization !== `Bearer ${this.token}`) {
        throw new ApiError(401, 'Unauthorized', 'Unauthorized');
      }
      const route = this.route(url.pathname);
      const watch = query.watch === '1' || query.watch === 'true';
      const verb = watch ? 'watch' : route && route.name === undefined ? 'list' : 'get';
      // Authorization (RBAC) precedes existence checks: a denied caller learns nothing else.
      if (this.denied.some((re) => re.test(url.pathname))) throw this.forbidden(route, verb, url.pathname);
      if (!route) {
        throw new ApiError(404, 'NotFound', 'the server could not find the requested resource', {});
      }
      if (req.method !== 'GET') {
        throw new ApiError(405, 'MethodNotAllowed', `the stand-in serves only GET, not ${req.method}`);
      }
      if (watch) return this.watch(route, query, req, res);
      const body = route.name === undefined ? this.list(route, query) : this.get(route);
      return this.send(res, 200, body);
    } catch (error) {
      if (error instanceof ApiError) return this.send(res, error.body.code, error.body);
      return this.send(res, 500, status(500, 'InternalError', String(error && error.stack)));
    }
  }

  send(res, code, body) {
    const text = JSON.stringify(body);
    res.writeHead(code, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
    res.end(text);
  }

  forbidden(route, verb, pathname) {
    if (!route) {
      return new ApiError(403, 'Forbidden', `forbidden: User "${USER}" cannot get path "${pathname}"`, {});
    }
    const { resource, namespace, name } = route;
    const what = name === undefined ? resource.resource : `${resource.resource} "${name}"`;
    const scope = namespace === null ? 'at the cluster scope' : `in the namespace "${namespace}"`;
    const details = { kind: resource.resource };
    if (name !== undefined) details.name = name;
    if (resource.group) details.group = resource.group;
    return new ApiError(403, 'Forbidden',
      `${what} is forbidden: User "${USER}" cannot ${verb} resource "${resource.resource}" in API group "${resource.group}" ${scope}`,
      details);
  }

  typed(resource, object) {
    return { kind: resource.kind, apiVersion: resource.apiVersion, ...clone(object) };
  }

  get({ resource, namespace, name }) {
    const found = resource.objects(namespace).find((o) => o.metadata.name === name);
    if (!found) {
      const details = { name, kind: resource.resource };
      if (resource.group) details.group = resource.group;
      throw new ApiError(404, 'NotFound', `${resource.resource}${resource.group ? `.${resource.group}` : ''} "${name}" not found`, details);
    }
    return this.typed(resource, found);
  }

  // A filter over objects from the request's labelSelector and fieldSelector (400 if malformed).
  filter(resource, query) {
    const byLabel = parseLabelSelector(query.labelSelector);
    const byField = parseFieldSelector(query.fieldSelector, resource.fields);
    return (o) => byLabel(o.metadata.labels) && byField(o);
  }

  // limit/continue are ignored: every list is one page, which clients must accept anyway.
  list({ resource, namespace }, query) {
    const keep = this.filter(resource, query);
    const items = sortBy(resource.objects(namespace).filter(keep), (o) => key(o.metadata.namespace, o.metadata.name));
    return {
      kind: `${resource.kind}List`,
      apiVersion: resource.apiVersion,
      metadata: { resourceVersion: String(this.revision) },
      items: clone(items),
    };
  }

  // A watch is a chunked response of newline-separated JSON events that stays open until
  // close() or timeoutSeconds. Without a resourceVersion (or with "0") it opens with a
  // synthetic ADDED per existing object, as the real server does; with one it replays the
  // events after that version, so the list-then-watch pattern never misses a change.
  watch(route, query, req, res) {
    const { resource, namespace } = route;
    if (!resource.watchable) {
      throw new ApiError(405, 'MethodNotAllowed', `the stand-in does not serve watch on ${resource.resource}`);
    }
    const keep = this.filter(resource, query);
    const inScope = (o) => (namespace === null || o.metadata.namespace === namespace) && keep(o);
    res.writeHead(200, { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked' });
    res.flushHeaders();
    const watcher = { resource, inScope, res };
    const from = query.resourceVersion;
    if (from === undefined || from === '' || from === '0') {
      for (const o of resource.objects(namespace).filter(keep)) this.write(watcher, 'ADDED', this.typed(resource, o));
    } else {
      for (const e of this.statefulSetEvents) {
        if (Number(e.object.metadata.resourceVersion) > Number(from)) this.write(watcher, e.type, e.object);
      }
    }
    this.watchers.add(watcher);
    const stop = () => {
      this.watchers.delete(watcher);
      clearTimeout(watcher.timer);
    };
    if (query.timeoutSeconds) {
      watcher.timer = setTimeout(() => {
        stop();
        res.end();
      }, Number(query.timeoutSeconds) * 1000);
    }
    res.on('close', stop);
  }

  write(watcher, type, object) {
    if (watcher.inScope(object)) watcher.res.write(`${JSON.stringify({ type, object })}\n`);
  }

  publish(type, statefulSet) {
    const resource = this.resources.find((r) => r.resource === 'statefulsets');
    const object = this.typed(resource, statefulSet);
    this.statefulSetEvents.push({ type, object });
    for (const w of this.watchers) if (w.resource === resource) this.write(w, type, object);
  }
}

// ---------------------------------------------------------------------------------------------

async function startKubeApi({ host = '127.0.0.1', port = 0, dir, token } = {}) {
  dir = dir || fs.mkdtempSync(path.join(os.tmpdir(), 'shoal-kube-api-'));
  token = token || crypto.randomBytes(24).toString('hex');
  fs.mkdirSync(dir, { recursive: true });
  const certs = makeCerts(path.join(dir, 'certs'));
  // The same three files a pod finds in /var/run/secrets/kubernetes.io/serviceaccount/.
  const tokenFile = path.join(dir, 'token');
  const namespaceFile = path.join(dir, 'namespace');
  fs.writeFileSync(tokenFile, token);
  fs.writeFileSync(namespaceFile, 'default');

  const state = new KubeApi({ dir, token });
  const server = https.createServer(
    { cert: fs.readFileSync(certs.certFile), key: fs.readFileSync(certs.keyFile) },
    (req, res) => state.handle(req, res));
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, resolve);
  });
  const address = server.address();
  const urlHost = address.family === 'IPv6' || address.family === 6 ? `[${address.address}]` : address.address;

  return {
    url: `https://${urlHost}:${address.port}`,
    port: address.port,
    dir,
    token,
    caFile: certs.caFile,
    tokenFile,
    namespaceFile,
    requests: state.requests,
    upsertNode: (o) => state.upsertNode(o),
    upsertPod: (o) => state.upsertPod(o),
    deletePod: (namespace, name) => state.deletePod(namespace, name),
    upsertService: (o) => state.upsertService(o),
    upsertStatefulSet: (o) => state.upsertStatefulSet(o),
    deleteStatefulSet: (namespace, name) => state.deleteStatefulSet(namespace, name),
    deny: (pathRegex) => state.deny(pathRegex),
    allow: () => state.allow(),
    get resourceVersion() {
      return String(state.revision);
    },
    // Ends open watches first: server.close() alone would wait for them forever.
    close: () => new Promise((resolve) => {
      for (const w of state.watchers) w.res.end();
      state.watchers.clear();
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
}

module.exports = { startKubeApi, parseLabelSelector };
