'use strict';
// One simulated pod: a shoal-member process on its own loopback address (port 5701), with its
// own environment, log file and, when DNS discovery is under test, its own resolv.conf (a
// private mount namespace, as a pod has), pointing at the test's DNS server.
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '../../..');
const MEMBER_BINARY = process.env.SHOAL_MEMBER_BINARY || path.join(ROOT, 'build', 'shoal-member');

class MemberProcess {
  constructor({ name, ip, env = {}, args = [], logDir, resolvConf = null }) {
    this.name = name;
    this.ip = ip;
    this.env = env;
    this.args = args;
    this.logFile = path.join(logDir, `${name}.log`);
    this.resolvConf = resolvConf;
    this.exit = null; // {code, signal} once exited
  }

  start() {
    const args = [`-Dhazelcast.local.localAddress=${this.ip}`, ...this.args];
    const env = { PATH: process.env.PATH, HOSTNAME: this.name, ...this.env };
    const log = fs.openSync(this.logFile, 'a');
    const [command, argv] = this.resolvConf
      ? ['unshare', ['--mount', 'sh', '-c', 'mount --bind "$0" /etc/resolv.conf && exec "$@"', this.resolvConf, MEMBER_BINARY, ...args]]
      : [MEMBER_BINARY, args];
    this.child = spawn(command, argv, { env, stdio: ['ignore', log, log] });
    fs.closeSync(log);
    this.exited = new Promise((resolve) => {
      this.child.on('exit', (code, signal) => {
        this.exit = { code, signal };
        resolve(this.exit);
      });
    });
    return this;
  }

  get running() {
    return this.child && this.exit === null;
  }

  kill(signal = 'SIGKILL') {
    if (this.running) this.child.kill(signal);
    return this.exited;
  }

  // Stops as the kubelet does: SIGTERM, then SIGKILL after the grace period.
  async stop(graceSeconds = 120) {
    if (!this.running) return this.exit;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.kill('SIGKILL'), graceSeconds * 1000);
    const result = await this.exited;
    clearTimeout(timer);
    return result;
  }

  log() {
    return fs.existsSync(this.logFile) ? fs.readFileSync(this.logFile, 'utf8') : '';
  }
}

module.exports = { MemberProcess, MEMBER_BINARY, ROOT };
