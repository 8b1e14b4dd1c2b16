'use strict';
// A real DNS server (dnsmasq from Debian) on a loopback address, playing the cluster DNS: the
// headless Service name resolves to the IP of every pod behind it, updated as pods come and go.
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const DNSMASQ = ['/usr/sbin/dnsmasq', '/usr/bin/dnsmasq'].find((p) => fs.existsSync(p)) || 'dnsmasq';

class DnsServer {
  constructor({ ip = '127.0.99.53', dir }) {
    this.ip = ip;
    this.hostsFile = path.join(dir, 'dns-hosts');
    this.resolvConf = path.join(dir, 'resolv.conf');
    this.records = new Map(); // name -> Set of IPs
  }

  async start() {
    fs.writeFileSync(this.hostsFile, '');
    fs.writeFileSync(this.resolvConf, `nameserver ${this.ip}\noptions timeout:1 attempts:1\n`);
    this.child = spawn(DNSMASQ, ['--keep-in-foreground', '--conf-file=/dev/null', '--no-resolv', '--no-hosts',
      `--listen-address=${this.ip}`, '--bind-interfaces', '--port=53', `--addn-hosts=${this.hostsFile}`,
      '--no-negcache', '--local-ttl=0', '--user=root'], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    this.child.stderr.on('data', (d) => { stderr += d; });
    this.child.on('exit', (code) => { this.exitCode = code; });
    const deadline = Date.now() + 5000;
    while (Date.now() < deadline) { // dnsmasq refuses to start when it cannot bind: wait to see
      if (this.exitCode !== undefined) throw new Error(`dnsmasq exited ${this.exitCode}: ${stderr}`);
      if (stderr.includes('started')) return this;
      await new Promise((r) => setTimeout(r, 50));
    }
    return this;
  }

  set(name, ips) {
    this.records.set(name, new Set(ips));
    this.write();
  }

  add(name, ip) {
    if (!this.records.has(name)) this.records.set(name, new Set());
    this.records.get(name).add(ip);
    this.write();
  }

  remove(name, ip) {
    this.records.get(name)?.delete(ip);
    this.write();
  }

  write() {
    const lines = [];
    for (const [name, ips] of this.records) for (const ip of ips) lines.push(`${ip} ${name}`);
    fs.writeFileSync(this.hostsFile, `${lines.join('\n')}\n`);
    this.child.kill('SIGHUP'); // re-read the hosts file
  }

  async close() {
    if (this.exitCode !== undefined) return;
    const exited = new Promise((r) => this.child.on('exit', r));
    this.child.kill('SIGTERM');
    await exited;
  }
}

module.exports = { DnsServer };
