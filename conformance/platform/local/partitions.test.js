'use strict';
const test = require('node:test');
const assert = require('node:assert');
const { murmur3x86_32, partitionOf, keyPerPartition } = require('./partitions');

test('MurmurHash3 x86_32 matches the Hazelcast clients\' raw-byte vectors', () => {
  const seed = 0x01000193;
  assert.strictEqual(murmur3x86_32(Buffer.from('key-1'), seed), 1228513025);
  assert.strictEqual(murmur3x86_32(Buffer.from(''), seed), -1585187909);
  assert.strictEqual(murmur3x86_32(Buffer.from('a'), seed), -1686100800);
  assert.strictEqual(murmur3x86_32(Buffer.from('abcd'), seed), -973615161);
});

test('a String key lands where the Node.js client puts it: "key" in partition 80 of 271', () => {
  assert.strictEqual(partitionOf('key'), 80);
});

test('keyPerPartition gives one distinct key for every partition', () => {
  const keys = keyPerPartition('probe-', 271);
  assert.strictEqual(new Set(keys).size, 271);
  keys.forEach((key, p) => assert.strictEqual(partitionOf(key), p));
});
