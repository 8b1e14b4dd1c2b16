// Typos, wrong types and inconsistent toggles are refused before anything reaches a cluster:
// values.schema.json catches keys, types, enums and simple mode rules; the chart's one
// validateValues check catches the rest and lists every problem in one failure.
'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const chart = require('./chart');

const ZONE = ['zoneAware.enabled=true', 'zoneAware.zone=zone-a', 'discovery.serviceName=shoal-zones'];

// [why, --set values, text the error must contain]
const REJECTED = [
  ['a typo in a key', ['cluster.memberCont=3'], "additional properties 'memberCont' not allowed"],
  ['a typo at the top level', ['sidcar.enabled=true'], "additional properties 'sidcar' not allowed"],
  ['a typo in a nested key', ['persistence.storageClas=fast'], "'storageClas' not allowed"],
  ['a typo in a probe key', ['member.livenessProbe.periodSecond=5'], "'periodSecond' not allowed"],
  ['a string member count', ['cluster.memberCount=three'], '/cluster/memberCount'],
  ['a negative member count', ['cluster.memberCount=-1'], '/cluster/memberCount'],
  ['a string for a boolean', ['gracefulShutdown.enabled=yes'], '/gracefulShutdown/enabled'],
  ['a zero hand-off bound', ['gracefulShutdown.maxWaitSeconds=0'], '/gracefulShutdown/maxWaitSeconds'],
  ['an unknown discovery mode', ['discovery.mode=multicast'], '/discovery/mode'],
  ['an unknown partition group', ['partitionGroup.type=RACK_AWARE'], '/partitionGroup/type'],
  ['an unknown recovery policy', ['persistence.clusterDataRecoveryPolicy=BEST_EFFORT'], '/persistence/clusterDataRecoveryPolicy'],
  ['ACTIVE as the auto cluster state strategy', ['persistence.autoClusterStateStrategy=ACTIVE'], '/persistence/autoClusterStateStrategy'],
  ['an unknown anti-affinity preset', ['podAntiAffinity=strict'], '/podAntiAffinity'],
  ['an unknown log level', ['member.logLevel=trace'], '/member/logLevel'],
  ['a port out of range', ['member.port=70000'], '/member/port'],
  ['too many backups', ['config.backupCount=7'], '/config/backupCount'],
  ['a bad volume size', ['persistence.size=lots'], '/persistence/size'],
  ['a relative persistence dir', ['persistence.baseDir=data'], '/persistence/baseDir'],
  ['a bad service name', ['discovery.serviceName=Shoal_Zones'], '/discovery/serviceName'],
  ['a bad pull policy', ['image.pullPolicy=Sometimes'], '/image/pullPolicy'],
  ['a bad PDB budget', ['pdb.maxUnavailable=0'], '/pdb/maxUnavailable'],
  ['sidecar and embedded both on', ['sidecar.enabled=true', 'embedded.enabled=true'], '/embedded/enabled'],
  ['persistence with sidecar', ['persistence.enabled=true', 'sidecar.enabled=true'], '/sidecar/enabled'],
  ['persistence with embedded', ['persistence.enabled=true', 'embedded.enabled=true'], '/embedded/enabled'],
  ['zone-aware without a zone', ['zoneAware.enabled=true', 'discovery.serviceName=shoal-zones'], '/zoneAware/zone'],
  ['zone-aware without a shared discovery Service', ['zoneAware.enabled=true', 'zoneAware.zone=zone-a'], '/discovery/serviceName'],
  ['zone-aware with another partition group', [...ZONE, 'partitionGroup.type=NODE_AWARE'], '/partitionGroup/type'],
  ['auto cluster state with DNS discovery', ['persistence.enabled=true', 'discovery.mode=dns'], '/discovery/mode'],
  // Caught by validateValues (beyond what a schema can say):
  ['ZONE_AWARE over DNS without a zone value', ['partitionGroup.type=ZONE_AWARE', 'discovery.mode=dns'], 'reads its zone from the Kubernetes API only'],
  ['ZONE_AWARE without a ClusterRole or zone value', ['partitionGroup.type=ZONE_AWARE', 'rbac.useClusterRole=false'], 'takes a ClusterRole'],
  ['no discovery Service and no name', ['discovery.createService=false'], 'discovery.createService=false needs discovery.serviceName'],
  ['the shutdown policy in JAVA_OPTS', ['member.javaOpts=-Dhazelcast.shutdownhook.policy=TERMINATE'], 'hazelcast.shutdownhook.policy is set by gracefulShutdown'],
  ['the hand-off bound in config.properties', ['config.properties.hazelcast\\.graceful\\.shutdown\\.max\\.wait=30'], 'hazelcast.graceful.shutdown.max.wait is set by gracefulShutdown'],
  ['the partition count in config.properties', ['config.properties.hazelcast\\.partition\\.count=7'], 'hazelcast.partition.count is set by config.partitionCount'],
  ['the zone in JAVA_OPTS', ['member.javaOpts=-Dhazelcast.partition.group.zone=x'], 'hazelcast.partition.group.zone is set by zoneAware.zone'],
  ['the join config in overrides', ['config.overrides.network.join.tcp-ip.enabled=true'], 'config.overrides.network.join is set by discovery.*'],
  ['the port in overrides', ['config.overrides.network.port.port=5702'], 'config.overrides.network.port is set by member.port'],
  ['the cluster name in overrides', ['config.overrides.cluster-name=blue'], 'config.overrides.cluster-name is set by cluster.name'],
  ['the partition group in overrides', ['config.overrides.partition-group.enabled=false'], 'config.overrides.partition-group is set by'],
  ['persistence in overrides', ['config.overrides.persistence.enabled=true'], 'config.overrides.persistence is set by persistence.*'],
  ['a StatefulSet name too long for its pods\' labels', ['fullnameOverride=' + 'a'.repeat(53)], 'longer than 52 characters'],
  ['podManagementPolicy with a Deployment', ['sidecar.enabled=true', 'podManagementPolicy=Parallel'], 'podManagementPolicy applies to the members\' StatefulSet'],
  ['the REST API in overrides', ['config.overrides.network.rest-api.enabled=false'], 'config.overrides.network.rest-api'],
];

test('the schema and validateValues reject typos and inconsistent toggles', async (t) => {
  const results = await Promise.all(REJECTED.map(([, set]) => chart.render({ set })));
  for (const [i, [why, set, text]] of REJECTED.entries()) {
    await t.test(`${why}: ${set.join(' ')}`, () => {
      const r = results[i];
      assert.notEqual(r.code, 0, `helm template accepted ${set.join(' ')}`);
      assert.ok(r.stderr.includes(text), `the error names the problem (${text}):\n${r.stderr}`);
    });
  }
});

test('validateValues reports every inconsistency in one failure', async () => {
  const r = await chart.render({ set: ['discovery.createService=false', 'member.javaOpts=-Dhazelcast.shutdownhook.policy=TERMINATE',
    'config.overrides.cluster-name=blue'] });
  assert.notEqual(r.code, 0);
  assert.match(r.stderr, /shoal: the values are inconsistent/);
  for (const text of ['discovery.createService=false', 'hazelcast.shutdownhook.policy', 'config.overrides.cluster-name']) {
    assert.ok(r.stderr.includes(text), `lists ${text}:\n${r.stderr}`);
  }
  assert.equal(r.stderr.match(/the values are inconsistent/g).length, 1, 'one failure');
});

test('a values file with a typo fails as --set does', async () => {
  const fs = require('node:fs');
  const os = require('node:os');
  const path = require('node:path');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shoal-values-'));
  try {
    const file = path.join(dir, 'typo.yaml');
    fs.writeFileSync(file, 'cluster:\n  memberCount: 3\nzoneAware:\n  enabled: true\n  zones: us-central1-a\n');
    const r = await chart.render({ files: [file] });
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /'zones' not allowed/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('values that look odd but are consistent are accepted', async () => {
  const accepted = [
    [...ZONE, 'partitionGroup.type=ZONE_AWARE'],
    [...ZONE, 'rbac.useClusterRole=false'],
    ['persistence.enabled=true', 'persistence.autoClusterState=false', 'discovery.mode=dns'],
    ['cluster.memberCount=0'],
    ['pdb.maxUnavailable=50%'],
    ['member.javaOpts=-Dhazelcast.max.no.heartbeat.seconds=20 -Dhazelcast.merge.first.run.delay.seconds=10'],
  ];
  const results = await Promise.all(accepted.map((set) => chart.render({ set })));
  results.forEach((r, i) => assert.equal(r.code, 0, `${accepted[i].join(' ')} was refused:\n${r.stderr}`));
});
