'use strict';
// The local driver's pieces that decide what a pod is: placement by the rendered affinity, the
// container's program, its paths and env as the kubelet would give them.
const test = require('node:test');
const assert = require('node:assert/strict');
const path = require('node:path');
const { nodeFits } = require('./local_platform');
const { programOf, localPath, expand, MEMBER_BINARY, BUILD } = require('./pod');

const zoneAffinity = (op, values) => ({ affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: {
  nodeSelectorTerms: [{ matchExpressions: [{ key: 'topology.kubernetes.io/zone', operator: op, values }] }] } } } });

test('required nodeAffinity and nodeSelector decide which nodes a pod fits', () => {
  const a = { 'topology.kubernetes.io/zone': 'zone-a', 'kubernetes.io/hostname': 'worker-a' };
  const b = { 'topology.kubernetes.io/zone': 'zone-b', 'kubernetes.io/hostname': 'worker-b' };
  assert.equal(nodeFits(zoneAffinity('In', ['zone-a']), a), true);
  assert.equal(nodeFits(zoneAffinity('In', ['zone-a']), b), false);
  assert.equal(nodeFits(zoneAffinity('NotIn', ['zone-a']), b), true);
  assert.equal(nodeFits({ nodeSelector: { 'kubernetes.io/hostname': 'worker-b' } }, a), false);
  assert.equal(nodeFits({}, a), true);
});

test("the image's containers map to the build's binaries; a shell stays a shell", () => {
  assert.deepEqual(programOf({ args: ['-Dx=1'] }), { file: MEMBER_BINARY, args: ['-Dx=1'] });
  assert.deepEqual(programOf({ command: ['shoal-sidecar-app'], args: ['--v'] }), { file: path.join(BUILD, 'shoal-sidecar-app'), args: ['--v'] });
  assert.deepEqual(programOf({ command: ['/bin/sh', '-c'], args: ['echo'] }), { file: '/bin/sh', args: ['-c', 'echo'] });
});

test('mounted paths are rewritten once, the longest mount first', () => {
  const mounts = [{ mountPath: '/etc/shoal', dir: '/tmp/p/config' }, { mountPath: '/tmp', dir: '/tmp/p/tmp' }];
  assert.equal(localPath(mounts, 'SHOAL_CONFIG=/etc/shoal/shoal.yaml'), 'SHOAL_CONFIG=/tmp/p/config/shoal.yaml');
  assert.equal(localPath(mounts, 'baseDir: /tmp/x /tmpfoo'), 'baseDir: /tmp/p/tmp/x /tmpfoo');
});

test('$(VAR) expands defined names only, $$( escapes', () => {
  assert.equal(expand('-Dnode=$(NODE_NAME) $(UNSET) $$(NODE_NAME)', { NODE_NAME: 'w1' }), '-Dnode=w1 $(UNSET) $(NODE_NAME)');
});
