'use strict';
// Which partition a REST key lands in, computed as the member and every Hazelcast client do:
// the key is serialized as a Java String (int32 big-endian length, then UTF-8), hashed with
// MurmurHash3 x86_32 (seed 0x01000193), and the partition is abs(hash) % partitionCount.
// The scenarios use it to pick one key per partition and so ask every partition at once.

const SEED = 0x01000193;

function murmur3x86_32(bytes, seed) {
  const c1 = 0xcc9e2d51;
  const c2 = 0x1b873593;
  let h = seed >>> 0;
  const blocks = bytes.length & ~3;
  for (let i = 0; i < blocks; i += 4) {
    let k = bytes[i] | (bytes[i + 1] << 8) | (bytes[i + 2] << 16) | (bytes[i + 3] << 24);
    k = Math.imul(k, c1);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, c2);
    h ^= k;
    h = (h << 13) | (h >>> 19);
    h = (Math.imul(h, 5) + 0xe6546b64) | 0;
  }
  let k = 0;
  switch (bytes.length & 3) {
    case 3: k ^= bytes[blocks + 2] << 16; // falls through
    case 2: k ^= bytes[blocks + 1] << 8; // falls through
    case 1:
      k ^= bytes[blocks];
      k = Math.imul(k, c1);
      k = (k << 15) | (k >>> 17);
      h ^= Math.imul(k, c2);
  }
  h ^= bytes.length;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h | 0;
}

// The serialized payload of a Java String key (what follows the Data header).
function stringPayload(key) {
  const utf8 = Buffer.from(key, 'utf8');
  const out = Buffer.alloc(4 + utf8.length);
  out.writeInt32BE(utf8.length, 0);
  utf8.copy(out, 4);
  return out;
}

function partitionOf(key, partitionCount = 271) {
  const hash = murmur3x86_32(stringPayload(key), SEED);
  return hash === -0x80000000 ? 0 : Math.abs(hash) % partitionCount;
}

// One key per partition: keys[p] lands in partition p.
function keyPerPartition(prefix = 'probe-', partitionCount = 271) {
  const keys = new Array(partitionCount);
  let found = 0;
  for (let i = 0; found < partitionCount; i++) {
    const key = `${prefix}${i}`;
    const p = partitionOf(key, partitionCount);
    if (keys[p] === undefined) {
      keys[p] = key;
      found += 1;
    }
  }
  return keys;
}

module.exports = { murmur3x86_32, partitionOf, keyPerPartition };
