'use strict';
// The member's REST API as the scenarios use it: map entries in and out, health and the member
// list, over keep-alive connections so writing 100k entries takes seconds, not minutes.
const http = require('node:http');

const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });

function request(ip, method, path, body = null, timeoutMs = 10000) {
  return new Promise((resolve, reject) => {
    const req = http.request({
      host: ip, port: 5701, method, path, agent, timeout: timeoutMs,
      headers: body === null ? {} : { 'Content-Type': 'text/plain', 'Content-Length': Buffer.byteLength(body) },
    }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => { text += chunk; });
      res.on('end', () => resolve({ status: res.statusCode, body: text }));
    });
    req.on('timeout', () => req.destroy(new Error(`${method} ${path} on ${ip} timed out`)));
    req.on('error', reject);
    if (body !== null) req.write(body);
    req.end();
  });
}

const mapPath = (map, key) => `/hazelcast/rest/maps/${encodeURIComponent(map)}/${encodeURIComponent(key)}`;

async function put(ip, map, key, value) {
  const res = await request(ip, 'POST', mapPath(map, key), value);
  if (res.status !== 200) throw new Error(`put ${map}[${key}] on ${ip}: ${res.status} ${res.body}`);
}

// The value, or null when the key is absent (204).
async function get(ip, map, key) {
  const res = await request(ip, 'GET', mapPath(map, key));
  if (res.status === 204) return null;
  if (res.status !== 200) throw new Error(`get ${map}[${key}] on ${ip}: ${res.status} ${res.body}`);
  return res.body;
}

async function health(ip) {
  const res = await request(ip, 'GET', '/hazelcast/health', null, 2000);
  return JSON.parse(res.body);
}

// Runs `task(i)` for i in [0, count) with `concurrency` in flight.
async function parallel(count, concurrency, task) {
  let next = 0;
  const workers = Array.from({ length: Math.min(concurrency, count) }, async () => {
    while (next < count) {
      const i = next++;
      await task(i);
    }
  });
  await Promise.all(workers);
}

module.exports = { request, put, get, health, parallel, agent };
