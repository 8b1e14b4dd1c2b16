// Every values example, every ct install values file and a matrix of --set toggles render; every
// object they produce is a valid Kubernetes object; the shoal.yaml each produces is accepted by
// the real member; and the invariants every mode must keep hold (graceful wiring, probes,
// security, labels, selectors, discovery names).
'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const chart = require('./chart');

const ZONE = ['zoneAware.enabled=true', 'zoneAware.zone=zone-a', 'discovery.serviceName=shoal-zones'];

// The toggle matrix: modes x discovery x zone-aware x graceful shutdown, then the rest one by one.
function matrix() {
  const cases = [];
  for (const mode of [[], ['sidecar.enabled=true'], ['embedded.enabled=true']]) {
    for (const discovery of [[], ['discovery.mode=dns']]) {
      for (const zone of [[], ZONE]) {
        for (const graceful of [[], ['gracefulShutdown.enabled=false'], ['gracefulShutdown.maxWaitSeconds=45']]) {
          cases.push([...mode, ...discovery, ...zone, ...graceful]);
        }
      }
    }
  }
  const singles = [
    ['persistence.enabled=true'],
    ['persistence.enabled=true', 'persistence.autoClusterState=false', 'discovery.mode=dns'],
    ['persistence.enabled=true', 'persistence.storageClass=-', 'persistence.autoClusterStateStrategy=FROZEN',
      'persistence.retentionPolicy.whenDeleted=Delete'],
    ['persistence.enabled=true', 'persistence.storageClass=fast-ssd', 'podManagementPolicy=OrderedReady'],
    ['persistence.enabled=true', ...ZONE],
    [...ZONE, 'rbac.useClusterRole=false'],
    [...ZONE, 'discovery.createService=false'],
    ['partitionGroup.type=ZONE_AWARE'],
    ['partitionGroup.type=PER_MEMBER'],
    ['podAntiAffinity=hard'],
    ['podAntiAffinity=none', 'topologySpread.enabled=false'],
    ['metrics.serviceMonitor.enabled=true', 'metrics.serviceMonitor.labels.release=prom'],
    ['metrics.enabled=false'],
    ['rbac.create=false', 'serviceAccount.create=false', 'serviceAccount.name=shared'],
    ['pdb.create=false', 'tests.enabled=false'],
    ['pdb.maxUnavailable=25%'],
    ['cluster.memberCount=1', 'config.backupCount=0'],
    ['cluster.memberCount=9', 'config.backupCount=2', 'config.asyncBackupCount=1', 'config.partitionCount=1021'],
    ['member.port=5801', 'service.port=5801'],
    ['member.logLevel=debug', 'member.javaOpts=-Dhazelcast.max.no.heartbeat.seconds=20'],
    ['config.properties.hazelcast\\.merge\\.first\\.run\\.delay\\.seconds=10'],
    ['config.overrides.map.sessions-*.time-to-live-seconds=1800', 'config.overrides.network.public-address=10.0.0.1'],
    ['image.registry=registry.example', 'image.tag=0.1.1', 'image.pullSecrets[0]=regcred'],
    ['image.digest=sha256:' + 'a'.repeat(64)],
    ['member.startupProbe.enabled=true', 'member.livenessProbe.enabled=false', 'member.readinessProbe.enabled=false'],
    ['podSecurityContext.enabled=false', 'containerSecurityContext.enabled=false'],
    ['sidecar.enabled=true', 'sidecar.app.image.repository=registry.example/shop', 'sidecar.app.image.tag=1.4',
      'sidecar.app.command=null', 'sidecar.app.port=8080'],
    ['embedded.enabled=true', 'embedded.app.image.repository=registry.example/orders', 'embedded.app.image.tag=2.0',
      'embedded.app.ports[0].name=http', 'embedded.app.ports[0].containerPort=8080'],
    ['fullnameOverride=grid', 'commonLabels.team=data', 'commonAnnotations.owner=data-team'],
    ['nameOverride=cache', 'podLabels.tier=cache', 'podAnnotations.note=x'],
    ['priorityClassName=high', 'nodeSelector.pool=memory', 'tolerations[0].key=dedicated',
      'tolerations[0].operator=Exists'],
  ];
  return [...cases, ...singles].map((set) => ({ set }));
}

const inputs = [
  ...chart.exampleFiles().map((f) => ({ files: [f] })),
  ...chart.ciFiles().map((f) => ({ files: [f] })),
  { set: [] },
  ...matrix(),
];

function label(values) {
  return [...(values.files || []), ...(values.set || [])].join(' ') || 'defaults';
}

// Checks the invariants of one render; returns nothing, throws on the first broken one.
function checkInvariants(objects, values) {
  const w = chart.workload(objects);
  const pod = w.spec.template.spec;
  const podLabels = w.spec.template.metadata.labels;
  const config = chart.shoalConfig(objects).hazelcast;
  const memberContainer = pod.containers.find((c) => (c.ports || []).some((p) => p.name === 'hazelcast'));
  assert.ok(memberContainer, 'one container carries the member port');
  const props = chart.javaProperties(chart.envOf(memberContainer).JAVA_OPTS);
  const set = new Set(values.set || []);

  // Graceful shutdown: grace period and hand-off bound agree, and the policy is explicit.
  if (set.has('gracefulShutdown.enabled=false')) {
    assert.equal(props['hazelcast.shutdownhook.policy'], 'TERMINATE');
    assert.equal(props['hazelcast.graceful.shutdown.max.wait'], undefined);
  } else {
    assert.equal(props['hazelcast.shutdownhook.policy'], 'GRACEFUL');
    assert.equal(Number(props['hazelcast.graceful.shutdown.max.wait']), pod.terminationGracePeriodSeconds,
      'terminationGracePeriodSeconds equals hazelcast.graceful.shutdown.max.wait');
  }

  // The member port, probes on it, and the config agreeing.
  const port = memberContainer.ports.find((p) => p.name === 'hazelcast').containerPort;
  assert.equal(config.network.port.port, port);
  if (memberContainer.livenessProbe) {
    assert.deepEqual(memberContainer.livenessProbe.httpGet, { path: '/hazelcast/health/node-state', port: 'hazelcast' });
  }
  if (memberContainer.readinessProbe) {
    assert.deepEqual(memberContainer.readinessProbe.httpGet, { path: '/hazelcast/health/ready', port: 'hazelcast' });
  }
  assert.equal(config.network['rest-api'].enabled, true, 'probes need the REST API');
  assert.equal(chart.envOf(memberContainer).SHOAL_CONFIG, '/etc/shoal/shoal.yaml');
  assert.ok(memberContainer.volumeMounts.some((m) => m.name === 'config' && m.mountPath === '/etc/shoal'));

  // Security: non-root 65534, read-only root, nothing added.
  if (!set.has('podSecurityContext.enabled=false')) {
    assert.equal(pod.securityContext.runAsUser, 65534);
    assert.equal(pod.securityContext.runAsNonRoot, true);
  }
  if (!set.has('containerSecurityContext.enabled=false')) {
    for (const c of pod.containers) {
      assert.equal(c.securityContext.readOnlyRootFilesystem, true, `${c.name} has a read-only root`);
      assert.deepEqual(c.securityContext.capabilities.drop, ['ALL'], `${c.name} drops ALL`);
      assert.equal(c.securityContext.allowPrivilegeEscalation, false);
    }
  }

  // Config rolls the pods; labels come from one helper.
  assert.match(w.spec.template.metadata.annotations['checksum/config'], /^[0-9a-f]{64}$/);
  for (const o of objects) {
    for (const key of ['helm.sh/chart', 'app.kubernetes.io/name', 'app.kubernetes.io/instance', 'app.kubernetes.io/managed-by']) {
      assert.ok(o.metadata.labels && o.metadata.labels[key], `${o.kind}/${o.metadata.name} has label ${key}`);
    }
  }

  // Selectors select the pods; discovery names agree between Service, StatefulSet and config.
  const matches = (selector) => Object.entries(selector).every(([k, v]) => podLabels[k] === v);
  assert.ok(matches(w.spec.selector.matchLabels), 'workload selector matches its pods');
  const clientService = chart.one(objects, 'Service', (s) => s.spec.clusterIP !== 'None');
  assert.ok(matches(clientService.spec.selector), 'client Service selects the pods');
  const join = config.network.join.kubernetes;
  const discoveryName = join['service-name'] || join['service-dns'].split('.')[0];
  const discovery = chart.find(objects, 'Service', (s) => s.spec.clusterIP === 'None');
  // A release that does not own the shared discovery Service (zone-aware) has none of its own.
  assert.ok(discovery.length <= 1, 'at most one headless discovery Service');
  if (discovery.length === 1) {
    assert.equal(discovery[0].metadata.name, discoveryName, 'the config discovers through the Service the chart made');
    assert.ok(matches(discovery[0].spec.selector), 'discovery Service selects the pods');
    assert.equal(discovery[0].spec.publishNotReadyAddresses, true, 'members find each other before they are ready');
  } else {
    assert.ok(discoveryName !== `${w.metadata.name}-discovery`, 'without its own Service the release names a shared one');
  }
  if (w.kind === 'StatefulSet') assert.equal(w.spec.serviceName, discoveryName);
  for (const pdb of chart.find(objects, 'PodDisruptionBudget')) assert.ok(matches(pdb.spec.selector.matchLabels));
  assert.ok(typeof config['cluster-name'] === 'string' && config['cluster-name'].length > 0);
  assert.ok(config['partition-group'].enabled);

  // The service account token is mounted only when the member talks to the API.
  assert.equal(pod.automountServiceAccountToken, !join['service-dns']);
}

test('every values example, ct values file and toggle combination renders valid objects the member accepts', async (t) => {
  const results = await Promise.all(inputs.map(async (values) => {
    const r = await chart.render(values);
    if (r.code !== 0) return { values, error: `helm template failed:\n${r.stderr}` };
    const member = await chart.validateWithMember(r.objects);
    return { values, objects: r.objects, member };
  }));
  for (const { values, error, objects, member } of results) {
    await t.test(label(values), () => {
      assert.equal(error, undefined, error);
      for (const o of objects) chart.validateObject(o);
      assert.equal(member.code, 0, `shoal-member --validate-config rejected the generated shoal.yaml:\n${member.stderr}${member.stdout}`);
      checkInvariants(objects, values);
    });
  }
});

test('the config checksum changes with the config and only with it', async () => {
  const checksum = async (set) => chart.workload(await chart.renderOk({ set })).spec.template.metadata.annotations['checksum/config'];
  const base = await checksum([]);
  assert.notEqual(await checksum(['config.backupCount=2']), base, 'a config change rolls the pods');
  assert.notEqual(await checksum(['config.overrides.map.a.max-idle-seconds=60']), base);
  assert.equal(await checksum(['podLabels.tier=cache']), base, 'a pod label is not a config change');
  assert.equal(await checksum(['cluster.memberCount=5']), base, 'scaling is not a config change');
});

test('config.overrides is deep-merged over the generated config', async () => {
  const objects = await chart.renderOk({ set: ['config.overrides.map.default.time-to-live-seconds=60',
    'config.overrides.map.sessions-*.max-idle-seconds=600', 'config.properties.hazelcast\\.max\\.no\\.heartbeat\\.seconds=30'] });
  const config = chart.shoalConfig(objects).hazelcast;
  assert.equal(config.map.default['time-to-live-seconds'], 60);
  assert.equal(config.map.default['backup-count'], 1, 'generated keys beside an override stay');
  assert.equal(config.map['sessions-*']['max-idle-seconds'], 600);
  assert.equal(config.properties['hazelcast.max.no.heartbeat.seconds'], 30);
  assert.equal(config.properties['hazelcast.partition.count'], 271);
});

test('the member rejects what the chart must never generate (the check has teeth)', async () => {
  const objects = await chart.renderOk({ set: ['config.overrides.map.default.backup-count=7'] });
  const member = await chart.validateWithMember(objects);
  assert.equal(member.code, 2, 'backup-count 7 is out of range for the member');
  const typo = await chart.renderOk({ set: ['config.overrides.map.default.backup-cont=1'] });
  assert.equal((await chart.validateWithMember(typo)).code, 2, 'an unknown key in config.overrides is caught by the member');
});

test('object validation has teeth: wrong types, misspelt fields and bad names are caught', async () => {
  const objects = await chart.renderOk({ set: ['persistence.enabled=true'] });
  const broken = (mutate) => {
    const copy = JSON.parse(JSON.stringify(chart.workload(objects)));
    mutate(copy);
    return () => chart.validateObject(copy);
  };
  assert.doesNotThrow(broken(() => {}));
  assert.throws(broken((o) => { o.spec.replicas = '3'; }), /replicas must be integer/);
  assert.throws(broken((o) => { o.spec.template.spec.containers[0].securityContext.readOnlyRootFilesytem = true; }),
    /readOnlyRootFilesytem is not a field of SecurityContext/);
  assert.throws(broken((o) => { o.spec.volumeClaimTemplates[0].spec.acessModes = ['ReadWriteOnce']; }),
    /acessModes is not a field of PersistentVolumeClaimSpec/);
  assert.throws(broken((o) => { o.spec.template.spec.containers[0].env[0].valueFrom.fieldRef.fieldpath = 'x'; }),
    /fieldpath is not a field of ObjectFieldSelector/);
  assert.throws(broken((o) => { o.metadata.name = 'Shoal_Grid'; }), /bad name/);
  assert.throws(broken((o) => { o.spec.template.metadata.labels.x = 'a b'; }), /not a valid label value/);
});
