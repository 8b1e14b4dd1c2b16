// Writes partition-id test vectors computed by the official Hazelcast Node.js client: its own
// serializer turns each key into Data, its own Data.getPartitionHash() hashes it, and the
// partition id follows its PartitionService (abs(hash) % 271). Shoal's tests compare against
// these, so the vectors never depend on Shoal's own MurmurHash code.
//
//   cd member/tools/partition-vectors && npm install && node generate.js > ../../tests/data/partition_vectors.csv
'use strict';
const Long = require('long');
const { SerializationServiceV1 } = require('hazelcast-client/lib/serialization/SerializationService');
const { SerializationConfigImpl } = require('hazelcast-client/lib/config/SerializationConfig');

const PARTITION_COUNT = 271;

function service(defaultNumberType) {
    const config = new SerializationConfigImpl();
    config.defaultNumberType = defaultNumberType;
    return new SerializationServiceV1(config, undefined);
}

function row(kind, keyText, data) {
    const hash = data.getPartitionHash();
    const partition = Math.abs(hash) % PARTITION_COUNT;
    return [kind, keyText, data.toBuffer().toString('hex'), hash, partition].join(',');
}

const strings = ['key', '', 'a', 'key-1', 'abcd', 'hello world', 'Hazelcast', 'shoal', 'user:42', 'session/abc',
    'ключ', '日本', 'ü', '🦈 shark', 'tab\there', 'comma,inside', '0', '-1', 'x'.repeat(300),
    'The quick brown fox jumps over the lazy dog'];
for (let i = 0; i < 25; i++) strings.push('k' + i * 7919);

const ints = [0, 1, -1, 2, 42, 100, 271, -271, 65535, 1000000, 2147483647, -2147483648, 123456789, -98765, 7, 13,
    31, 255, 256, 4096];
const longs = ['0', '1', '-1', '42', '9007199254740991', '-9007199254740991', '9223372036854775807',
    '-9223372036854775808', '4294967296', '1700000000000', '271', '-5', '123456789012', '77', '1000', '65536',
    '2147483648', '-2147483649', '31337', '8'];

const out = ['kind,key,data_hex,partition_hash,partition_id'];
const stringService = service('double');
for (const s of strings) out.push(row('string', s, stringService.toData(s)));
const intService = service('integer');
for (const n of ints) out.push(row('int', String(n), intService.toData(n)));
for (const text of longs) out.push(row('long', text, stringService.toData(Long.fromString(text))));
process.stdout.write(out.join('\n') + '\n');
