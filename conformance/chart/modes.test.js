// What each deployment mode must render: the shape of its pods, its discovery, its backups
// placement, its volumes, and exactly the RBAC it needs (no more).
'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const chart = require('./chart');

// Role/ClusterRole rules as "group/resource:verb" strings, sorted.
function grants(objects, kind) {
  const out = [];
  for (const role of chart.find(objects, kind)) {
    for (const rule of role.rules) {
      for (const g of rule.apiGroups) for (const r of rule.resources) for (const v of rule.verbs) out.push(`${g}/${r}:${v}`);
    }
  }
  return out.sort();
}

const DISCOVERY_GRANTS = ['/endpoints:get', '/endpoints:list',
  'discovery.k8s.io/endpointslices:get', 'discovery.k8s.io/endpointslices:list'];
const WATCH_GRANTS = ['apps/statefulsets:get', 'apps/statefulsets:list', 'apps/statefulsets:watch'];

function bindingsAgree(objects) {
  const sa = chart.podSpec(objects).serviceAccountName;
  for (const kind of ['RoleBinding', 'ClusterRoleBinding']) {
    for (const b of chart.find(objects, kind)) {
      const roleKind = kind === 'RoleBinding' ? 'Role' : 'ClusterRole';
      assert.equal(b.roleRef.kind, roleKind);
      assert.ok(chart.find(objects, roleKind, (r) => r.metadata.name === b.roleRef.name).length === 1, `${kind} binds an existing ${roleKind}`);
      assert.deepEqual(b.subjects.map((s) => s.name), [sa], `${kind} binds the pods' ServiceAccount`);
    }
  }
}

test('client-server (default): a StatefulSet of 3 members, headless discovery + client Service, PDB, soft anti-affinity, NODE_AWARE', async () => {
  const objects = await chart.renderOk({ files: ['values-examples/client-server.yaml'] });
  const sts = chart.one(objects, 'StatefulSet');
  assert.equal(sts.spec.replicas, 3);
  assert.deepEqual(sts.spec.template.spec.containers.map((c) => c.name), ['member']);
  assert.equal(sts.spec.podManagementPolicy, 'OrderedReady', 'scale-down one member at a time');
  assert.equal(chart.find(objects, 'Deployment').length, 0);
  const pdb = chart.one(objects, 'PodDisruptionBudget');
  assert.equal(pdb.spec.maxUnavailable, 1);
  const anti = sts.spec.template.spec.affinity.podAntiAffinity;
  assert.equal(anti.preferredDuringSchedulingIgnoredDuringExecution[0].podAffinityTerm.topologyKey, 'kubernetes.io/hostname');
  assert.equal(anti.requiredDuringSchedulingIgnoredDuringExecution, undefined);
  assert.equal(sts.spec.template.spec.topologySpreadConstraints[0].topologyKey, 'topology.kubernetes.io/zone');
  const config = chart.shoalConfig(objects).hazelcast;
  assert.equal(config['partition-group']['group-type'], 'NODE_AWARE');
  assert.equal(config.network.join.kubernetes['service-name'], 'shoal-discovery');
  assert.equal(config.network.join.kubernetes.namespace, 'data');
  assert.equal(config.map['sessions-*']['time-to-live-seconds'], 1800, 'the example override reaches the config');
  const javaOpts = chart.envOf(chart.container(objects, 'member')).JAVA_OPTS;
  assert.equal(chart.javaProperties(javaOpts)['hazelcast.partition.group.node'], '$(NODE_NAME)', 'NODE_AWARE: node from the downward API');
  assert.deepEqual(chart.envOf(chart.container(objects, 'member')).NODE_NAME, { fieldRef: { fieldPath: 'spec.nodeName' } });
  const services = chart.find(objects, 'Service');
  assert.deepEqual(services.map((s) => s.metadata.name).sort(), ['shoal', 'shoal-discovery']);
  const pod = sts.spec.template.metadata.annotations;
  assert.equal(pod['prometheus.io/scrape'], 'true');
  assert.equal(pod['prometheus.io/port'], '5701');
  assert.equal(pod['prometheus.io/path'], '/metrics');
});

test('podAntiAffinity=hard requires one member per node', async () => {
  const objects = await chart.renderOk({ set: ['podAntiAffinity=hard'] });
  const anti = chart.podSpec(objects).affinity.podAntiAffinity;
  assert.equal(anti.requiredDuringSchedulingIgnoredDuringExecution[0].topologyKey, 'kubernetes.io/hostname');
  assert.equal(anti.preferredDuringSchedulingIgnoredDuringExecution, undefined);
  const none = await chart.renderOk({ set: ['podAntiAffinity=none'] });
  assert.equal(chart.podSpec(none).affinity, undefined);
});

test('sidecar: app and member in one pod of a Deployment, the app pointed at localhost:5701', async () => {
  const objects = await chart.renderOk({ files: ['values-examples/sidecar.yaml'] });
  assert.equal(chart.find(objects, 'StatefulSet').length, 0);
  const deploy = chart.one(objects, 'Deployment');
  const containers = deploy.spec.template.spec.containers;
  assert.deepEqual(containers.map((c) => c.name), ['app', 'member'], 'two containers in one pod');
  const app = chart.container(objects, 'app');
  assert.deepEqual(app.command, ['shoal-sidecar-app']);
  assert.equal(app.image, chart.container(objects, 'member').image, 'the default app is in the Shoal image');
  assert.equal(chart.envOf(app).SHOAL_ADDRESS, 'localhost:5701');
  assert.equal(app.ports[0].containerPort, 5000);
  assert.ok(!(app.ports || []).some((p) => p.name === 'hazelcast'), 'only the member listens on 5701');
  assert.deepEqual(deploy.spec.strategy.rollingUpdate, { maxSurge: 1, maxUnavailable: 0 });
  const client = chart.one(objects, 'Service', (s) => s.metadata.name === 'shoal');
  assert.deepEqual(client.spec.ports.map((p) => [p.name, p.port]), [['hazelcast', 5701], ['app', 5000]]);
  assert.deepEqual(grants(objects, 'Role'), DISCOVERY_GRANTS, 'members of all replicas discover each other through the API');
  assert.equal(deploy.spec.template.metadata.annotations['kubectl.kubernetes.io/default-container'], 'member');
  const custom = await chart.renderOk({ set: ['sidecar.enabled=true', 'sidecar.app.image.repository=registry.example/shop',
    'sidecar.app.image.tag=1.4', 'sidecar.app.port=8080', 'member.port=5801'] });
  const customApp = chart.container(custom, 'app');
  assert.equal(customApp.image, 'registry.example/shop:1.4');
  assert.equal(chart.envOf(customApp).SHOAL_ADDRESS, 'localhost:5801');
});

test('embedded: one app container that is the member (config, JAVA_OPTS, port, probes, grace period)', async () => {
  const objects = await chart.renderOk({ files: ['values-examples/embedded.yaml'] });
  const deploy = chart.one(objects, 'Deployment');
  const pod = deploy.spec.template.spec;
  assert.deepEqual(pod.containers.map((c) => c.name), ['app']);
  const app = pod.containers[0];
  assert.deepEqual(app.command, ['shoal-embedded-app']);
  assert.deepEqual(app.ports.map((p) => [p.name, p.containerPort]), [['hazelcast', 5701], ['http', 5000]]);
  assert.equal(app.livenessProbe.httpGet.path, '/hazelcast/health/node-state');
  assert.equal(app.readinessProbe.httpGet.path, '/hazelcast/health/ready');
  assert.equal(chart.envOf(app).SHOAL_CONFIG, '/etc/shoal/shoal.yaml');
  const props = chart.javaProperties(chart.envOf(app).JAVA_OPTS);
  assert.equal(props['hazelcast.shutdownhook.policy'], 'GRACEFUL');
  assert.equal(Number(props['hazelcast.graceful.shutdown.max.wait']), pod.terminationGracePeriodSeconds);
  assert.deepEqual(grants(objects, 'Role'), DISCOVERY_GRANTS);
  assert.equal(chart.shoalConfig(objects).hazelcast.network.join.kubernetes['service-name'], 'shoal-discovery');
});

test('zone-aware multi-install: nodeAffinity to the zone, ZONE_AWARE, one shared discovery Service, nodes read through a ClusterRole', async () => {
  const [a, b] = await Promise.all([
    chart.renderOk({ files: ['values-examples/zone-a.yaml'] }, { release: 'shoal-a' }),
    chart.renderOk({ files: ['values-examples/zone-b.yaml'] }, { release: 'shoal-b' }),
  ]);
  for (const [objects, zone] of [[a, 'us-central1-a'], [b, 'us-central1-b']]) {
    const pod = chart.podSpec(objects);
    const term = pod.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0];
    assert.deepEqual(term.matchExpressions, [{ key: 'topology.kubernetes.io/zone', operator: 'In', values: [zone] }]);
    const config = chart.shoalConfig(objects).hazelcast;
    assert.equal(config['partition-group']['group-type'], 'ZONE_AWARE');
    assert.equal(config['cluster-name'], 'zones');
    assert.equal(config.network.join.kubernetes['service-name'], 'shoal-zones');
    assert.equal(chart.workload(objects).spec.serviceName, 'shoal-zones');
    assert.deepEqual(grants(objects, 'ClusterRole'), ['/nodes:get'], 'the member reads its Node zone label');
    assert.deepEqual(grants(objects, 'Role'), DISCOVERY_GRANTS);
    bindingsAgree(objects);
  }
  // Only zone A owns the Service and the cluster-wide PDB; it selects the pods of both releases.
  const shared = chart.one(a, 'Service', (s) => s.metadata.name === 'shoal-zones');
  assert.equal(chart.find(b, 'Service', (s) => s.spec.clusterIP === 'None').length, 0);
  assert.equal(chart.find(b, 'PodDisruptionBudget').length, 0);
  const pdb = chart.one(a, 'PodDisruptionBudget');
  for (const objects of [a, b]) {
    const labels = chart.workload(objects).spec.template.metadata.labels;
    const selects = (sel) => Object.entries(sel).every(([k, v]) => labels[k] === v);
    assert.ok(selects(shared.spec.selector), 'the shared Service selects both releases');
    assert.ok(selects(pdb.spec.selector.matchLabels), 'the PDB covers both releases');
    assert.ok(selects(chart.podSpec(objects).affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].podAffinityTerm.labelSelector.matchLabels));
  }
  // ClusterRoles are cluster-wide: the two releases' names must not collide.
  assert.notEqual(chart.one(a, 'ClusterRole').metadata.name, chart.one(b, 'ClusterRole').metadata.name);
});

test('zone-aware with rbac.useClusterRole=false: no ClusterRole, the zone passed from zoneAware.zone', async () => {
  const objects = await chart.renderOk({ files: ['values-examples/zone-a.yaml'], set: ['rbac.useClusterRole=false'] });
  assert.equal(chart.find(objects, 'ClusterRole').length, 0);
  assert.equal(chart.find(objects, 'ClusterRoleBinding').length, 0);
  const props = chart.javaProperties(chart.envOf(chart.container(objects, 'member')).JAVA_OPTS);
  assert.equal(props['hazelcast.partition.group.zone'], 'us-central1-a');
  const dns = await chart.renderOk({ files: ['values-examples/zone-a.yaml'], set: ['discovery.mode=dns'] });
  assert.equal(chart.javaProperties(chart.envOf(chart.container(dns, 'member')).JAVA_OPTS)['hazelcast.partition.group.zone'], 'us-central1-a',
    'DNS discovery cannot read the Node, so the zone is passed');
  assert.equal(chart.find(dns, 'ClusterRole').length, 0);
});

test('persistence: volumeClaimTemplates, persistence config, auto cluster state, statefulsets watch, parallel start, startup probe', async () => {
  const objects = await chart.renderOk({ files: ['values-examples/persistence.yaml'] });
  const sts = chart.one(objects, 'StatefulSet');
  const [claim] = sts.spec.volumeClaimTemplates;
  assert.equal(claim.metadata.name, 'persistence');
  assert.deepEqual(claim.spec.accessModes, ['ReadWriteOnce']);
  assert.equal(claim.spec.resources.requests.storage, '8Gi');
  assert.equal(claim.spec.storageClassName, undefined, 'empty storageClass: the cluster default');
  const member = chart.container(objects, 'member');
  assert.ok(member.volumeMounts.some((m) => m.name === 'persistence' && m.mountPath === '/data/persistence'));
  assert.equal(sts.spec.podManagementPolicy, 'Parallel', 'members recover together');
  assert.equal(member.startupProbe.httpGet.path, '/hazelcast/health/node-state');
  assert.deepEqual(sts.spec.persistentVolumeClaimRetentionPolicy, { whenDeleted: 'Retain', whenScaled: 'Retain' });
  const config = chart.shoalConfig(objects).hazelcast;
  assert.deepEqual(config.persistence, {
    enabled: true, 'base-dir': '/data/persistence', 'cluster-data-recovery-policy': 'PARTIAL_RECOVERY_MOST_COMPLETE',
    'auto-remove-stale-data': true, 'validation-timeout-seconds': 120, 'data-load-timeout-seconds': 900,
  });
  assert.equal(config.properties['hazelcast.persistence.auto.cluster.state'], true);
  assert.equal(config.properties['hazelcast.persistence.auto.cluster.state.strategy'], 'NO_MIGRATION');
  assert.equal(config.properties['hazelcast.stale.join.prevention.duration.seconds'], 5);
  assert.deepEqual(grants(objects, 'Role'), [...DISCOVERY_GRANTS, ...WATCH_GRANTS].sort());
  assert.equal(chart.find(objects, 'ClusterRole').length, 0);
  const noClass = await chart.renderOk({ set: ['persistence.enabled=true', 'persistence.storageClass=-'] });
  assert.equal(chart.one(noClass, 'StatefulSet').spec.volumeClaimTemplates[0].spec.storageClassName, '');
  const noAuto = await chart.renderOk({ set: ['persistence.enabled=true', 'persistence.autoClusterState=false'] });
  assert.deepEqual(grants(noAuto, 'Role'), DISCOVERY_GRANTS, 'no watch without automatic cluster state');
});

test('RBAC is minimal per mode', async () => {
  const [plain, dns, nodeAware, zoneSingle, noRbac] = await Promise.all([
    chart.renderOk({}),
    chart.renderOk({ set: ['discovery.mode=dns'] }),
    chart.renderOk({ set: ['partitionGroup.type=NODE_AWARE'] }),
    chart.renderOk({ set: ['partitionGroup.type=ZONE_AWARE'] }),
    chart.renderOk({ set: ['rbac.create=false'] }),
  ]);
  assert.deepEqual(grants(plain, 'Role'), DISCOVERY_GRANTS, 'no statefulsets watch without persistence');
  assert.deepEqual(grants(plain, 'ClusterRole'), [], 'no ClusterRole unless the zone is read from Nodes');
  bindingsAgree(plain);
  for (const kind of ['Role', 'RoleBinding', 'ClusterRole', 'ClusterRoleBinding']) assert.equal(chart.find(dns, kind).length, 0, `DNS: no ${kind}`);
  assert.equal(chart.one(dns, 'ServiceAccount').automountServiceAccountToken, false, 'DNS: no token');
  assert.deepEqual(grants(nodeAware, 'ClusterRole'), [], 'NODE_AWARE needs no Node read');
  assert.deepEqual(grants(zoneSingle, 'ClusterRole'), ['/nodes:get']);
  for (const kind of ['Role', 'RoleBinding', 'ClusterRole', 'ClusterRoleBinding']) assert.equal(chart.find(noRbac, kind).length, 0);
  for (const objects of [plain, dns, nodeAware, zoneSingle]) {
    for (const role of [...chart.find(objects, 'Role'), ...chart.find(objects, 'ClusterRole')]) {
      for (const rule of role.rules) {
        assert.ok(rule.verbs.every((v) => ['get', 'list', 'watch'].includes(v)), 'read-only verbs');
        assert.ok(!rule.resources.includes('*') && !rule.verbs.includes('*'), 'no wildcards');
      }
    }
  }
});

test('graceful shutdown wiring follows gracefulShutdown.*', async () => {
  const [on, off, short] = await Promise.all([
    chart.renderOk({}),
    chart.renderOk({ set: ['gracefulShutdown.enabled=false'] }),
    chart.renderOk({ files: ['values-examples/scaling.yaml'] }),
  ]);
  const props = (o) => chart.javaProperties(chart.envOf(chart.container(o, 'member')).JAVA_OPTS);
  assert.equal(chart.podSpec(on).terminationGracePeriodSeconds, 600);
  assert.equal(props(on)['hazelcast.graceful.shutdown.max.wait'], '600');
  assert.equal(props(off)['hazelcast.shutdownhook.policy'], 'TERMINATE');
  assert.equal(chart.podSpec(off).terminationGracePeriodSeconds, 30);
  assert.equal(chart.podSpec(short).terminationGracePeriodSeconds, 120);
  assert.equal(props(short)['hazelcast.graceful.shutdown.max.wait'], '120');
  assert.equal(chart.one(short, 'StatefulSet').spec.replicas, 6);
});

test('helm test Pod: shoalctl from the Shoal image checks the cluster size and round-trips entries', async () => {
  const [plain, zone] = await Promise.all([
    chart.renderOk({ set: ['cluster.memberCount=4'] }),
    chart.renderOk({ files: ['values-examples/zone-b.yaml'] }, { release: 'shoal-b' }),
  ]);
  const pod = chart.one(plain, 'Pod');
  assert.equal(pod.metadata.annotations['helm.sh/hook'], 'test');
  const c = pod.spec.containers[0];
  assert.equal(c.image, chart.container(plain, 'member').image);
  const env = chart.envOf(c);
  assert.equal(env.EXPECTED, '4');
  assert.equal(env.AT_LEAST, 'false');
  assert.equal(env.SHOAL_ADDRESS, 'shoal.data.svc:5701');
  const script = c.args.join('\n');
  for (const step of ['shoalctl health --wait-ready', 'clusterSize', 'shoalctl put', 'shoalctl get', 'shoalctl cluster']) {
    assert.ok(script.includes(step), `the test script runs ${step}`);
  }
  assert.equal(pod.spec.automountServiceAccountToken, false);
  assert.equal(c.securityContext.readOnlyRootFilesystem, true);
  assert.equal(chart.envOf(chart.one(zone, 'Pod').spec.containers[0]).AT_LEAST, 'true', 'zone-aware: other zones add members');
  const off = await chart.renderOk({ set: ['tests.enabled=false'] });
  assert.equal(chart.find(off, 'Pod').length, 0);
});

test('metrics: a ServiceMonitor on the client Service only when asked', async () => {
  const [off, on] = await Promise.all([
    chart.renderOk({}),
    chart.renderOk({ set: ['metrics.serviceMonitor.enabled=true', 'metrics.serviceMonitor.labels.release=prom'] }),
  ]);
  assert.equal(chart.find(off, 'ServiceMonitor').length, 0);
  const sm = chart.one(on, 'ServiceMonitor');
  assert.equal(sm.metadata.labels.release, 'prom');
  assert.deepEqual(sm.spec.endpoints.map((e) => [e.port, e.path]), [['hazelcast', '/metrics']]);
  const selected = chart.find(on, 'Service', (s) => Object.entries(sm.spec.selector.matchLabels).every(([k, v]) => s.metadata.labels[k] === v));
  assert.deepEqual(selected.map((s) => s.metadata.name), ['shoal'], 'one Service is scraped, so no member twice');
});

test('NOTES.txt tells how to reach the cluster, see its members, run helm test, and warns', async () => {
  const notes = async (values, release = 'shoal') => {
    const r = await chart.helmSlot(() => chart.run('helm', ['install', release, chart.CHART, '--dry-run=client', '--namespace', 'data',
      ...chart.valuesArgs(values)]));
    assert.equal(r.code, 0, r.stderr);
    return r.stdout.slice(r.stdout.indexOf('NOTES:'));
  };
  const [plain, sidecar, unsafe, zone, persistence] = await Promise.all([
    notes({}),
    notes({ files: ['values-examples/sidecar.yaml'] }, 'shop'),
    notes({ set: ['gracefulShutdown.enabled=false', 'config.backupCount=0', 'partitionGroup.type=PER_MEMBER'] }),
    notes({ files: ['values-examples/zone-b.yaml'] }, 'shoal-b'),
    notes({ files: ['values-examples/persistence.yaml'] }),
  ]);
  assert.match(plain, /shoal\.data\.svc:5701/);
  assert.match(plain, /kubectl -n data port-forward svc\/shoal 5701:5701/);
  assert.match(plain, /exec shoal-0 -c member -- shoalctl cluster/);
  assert.match(plain, /helm test shoal -n data/);
  assert.doesNotMatch(plain, /WARNING/);
  assert.match(sidecar, /shop-shoal\.data\.svc:5000 and reaches its member at localhost:5701/);
  assert.match(sidecar, /exec deploy\/shop-shoal -c member -- shoalctl cluster/);
  assert.match(unsafe, /WARNING: gracefulShutdown.enabled=false/);
  assert.match(unsafe, /WARNING: config.backupCount=0/);
  assert.match(unsafe, /WARNING: PER_MEMBER backups with soft anti-affinity/);
  assert.match(zone, /discovery.createService=true \(not this one\)/);
  assert.match(persistence, /helm upgrade cannot change volumeClaimTemplates/);
  assert.match(persistence, /kubectl -n data delete pvc -l app.kubernetes.io\/instance=shoal/);
});
