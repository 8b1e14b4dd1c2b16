'use strict';
// One pod of the local platform, run as the kubelet runs it: every container a process on the
// pod's own loopback address (so a sidecar reaches its member at the pod's localhost), the
// ConfigMap and emptyDir volumes as directories of the pod and its PersistentVolume as a
// directory that outlives it, the env with the downward API filled in, readiness (and liveness)
// probes polled, a crashed container restarted with back-off, and deletion as SIGTERM, the
// grace period, then SIGKILL.
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const http = require('node:http');
const net = require('node:net');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '../../..');
const BUILD = process.env.SHOAL_BUILD_DIR || path.join(ROOT, 'build');
const MEMBER_BINARY = process.env.SHOAL_MEMBER_BINARY || path.join(BUILD, 'shoal-member');
// Probe periods and delays shrink to at most this many seconds (the suite's clock runs faster
// than a cluster's; thresholds stay as rendered).
const PROBE_PERIOD_CAP = Number(process.env.SHOAL_PROBE_PERIOD_CAP || 0.5);

// The program a container runs here: the Shoal image's entrypoint is the member; a command names
// one of the image's binaries (build/<name>), or a shell.
function programOf(container) {
  const command = container.command || [];
  const args = container.args || [];
  if (command.length === 0) return { file: MEMBER_BINARY, args };
  const name = path.basename(command[0]);
  if (name === 'sh' || name === 'bash') return { file: command[0], args: [...command.slice(1), ...args] };
  return { file: name === 'shoal-member' ? MEMBER_BINARY : path.join(BUILD, name), args: [...command.slice(1), ...args] };
}

// A rendered path inside the container, as a path on this machine: the longest volume mount that
// holds it decides.
function localPath(mounts, text) {
  if (mounts.length === 0) return text;
  const sorted = [...mounts].sort((a, b) => b.mountPath.length - a.mountPath.length);
  const escape = (p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  // One pass, so a replacement (which may itself lie under /tmp) is never replaced again.
  const pattern = new RegExp(`(^|[\\s"'=:,])(${sorted.map((m) => escape(m.mountPath)).join('|')})(?=/|$|[\\s"',])`, 'g');
  return text.replace(pattern, (_, pre, mountPath) => `${pre}${sorted.find((m) => m.mountPath === mountPath).dir}`);
}

// Expands $(VAR) as the kubelet does: defined names only, $$( escapes.
function expand(value, env) {
  return value.replace(/\$\$\(|\$\((\w+)\)/g, (all, name) => (name === undefined ? '$(' : (name in env ? env[name] : all)));
}

function httpProbe(ip, port, probePath, timeoutMs) {
  return new Promise((resolve) => {
    const req = http.get({ host: ip, port, path: probePath, timeout: timeoutMs, agent: false }, (res) => {
      res.resume();
      resolve(res.statusCode >= 200 && res.statusCode < 400);
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(false));
  });
}

function tcpProbe(ip, port, timeoutMs) {
  return new Promise((resolve) => {
    const socket = net.connect({ host: ip, port, timeout: timeoutMs });
    socket.on('connect', () => { socket.destroy(); resolve(true); });
    socket.on('timeout', () => { socket.destroy(); resolve(false); });
    socket.on('error', () => resolve(false));
  });
}

class Container {
  constructor(pod, spec) {
    this.pod = pod;
    this.spec = spec;
    this.name = spec.name;
    this.logFile = path.join(pod.dir, `${spec.name}.log`);
    this.restarts = 0;
    this.ready = false;
    this.exit = null;
    this.child = null;
  }

  port(ref) {
    if (typeof ref === 'number') return ref;
    const p = (this.spec.ports || []).find((x) => x.name === ref);
    if (!p) throw new Error(`${this.pod.name}/${this.name}: no port named ${ref}`);
    return p.containerPort;
  }

  async probe(spec) {
    const timeoutMs = Math.min(spec.timeoutSeconds || 1, 5) * 1000;
    if (spec.httpGet) return httpProbe(this.pod.ip, this.port(spec.httpGet.port), spec.httpGet.path || '/', timeoutMs);
    if (spec.tcpSocket) return tcpProbe(this.pod.ip, this.port(spec.tcpSocket.port), timeoutMs);
    return true; // exec probes are not run here
  }

  start() {
    const { file, args } = programOf(this.spec);
    this.program = file;
    if (!fs.existsSync(file)) {
      this.exit = { code: 127, signal: null, error: `${file} is missing` };
      fs.appendFileSync(this.logFile, `local platform: ${file} is missing\n`);
      return;
    }
    const log = fs.openSync(this.logFile, 'a');
    this.child = spawn(file, args.map((a) => this.pod.rewrite(a, this.spec)),
      { env: this.pod.envFor(this.spec), stdio: ['ignore', log, log], cwd: this.pod.dir });
    fs.closeSync(log);
    this.exit = null;
    this.startedAt = Date.now();
    this.exited = new Promise((resolve) => {
      this.child.on('exit', (code, signal) => {
        this.exit = { code, signal };
        this.ready = false;
        resolve(this.exit);
        this.pod.containerExited(this);
      });
    });
    this.watchProbes();
  }

  get running() {
    return this.child !== null && this.exit === null;
  }

  // Readiness: ready after one success, not ready after failureThreshold failures in a row.
  // Liveness: restarted after failureThreshold failures in a row.
  watchProbes() {
    const child = this.child;
    const loop = async (spec, onResult) => {
      const period = Math.min(spec.periodSeconds || 10, PROBE_PERIOD_CAP) * 1000;
      await new Promise((r) => setTimeout(r, Math.min(spec.initialDelaySeconds || 0, PROBE_PERIOD_CAP) * 1000));
      let failures = 0;
      while (this.child === child && this.running && !this.pod.deleted) {
        const ok = await this.probe(spec);
        failures = ok ? 0 : failures + 1;
        onResult(ok, failures, spec.failureThreshold || 3);
        await new Promise((r) => setTimeout(r, period));
      }
    };
    const readiness = this.spec.readinessProbe;
    if (readiness) {
      loop(readiness, (ok, failures, threshold) => {
        if (ok) this.setReady(true);
        else if (failures >= threshold || !this.ready) this.setReady(false);
      });
    } else {
      this.setReady(true);
    }
    const liveness = this.spec.livenessProbe;
    if (liveness && !process.env.SHOAL_NO_LIVENESS) {
      // Liveness keeps the rendered period: it is a safety net, not a clock the scenarios wait on.
      loop({ ...liveness, periodSeconds: liveness.periodSeconds || 10 }, (ok, failures, threshold) => {
        if (!ok && failures >= threshold && this.child === child && this.running) {
          fs.appendFileSync(this.logFile, `local platform: liveness probe failed ${failures} times, restarting\n`);
          this.child.kill('SIGKILL');
        }
      });
    }
  }

  setReady(ready) {
    if (this.ready === ready || (ready && !this.running)) return;
    this.ready = ready;
    this.pod.readinessChanged();
  }

  signal(sig) {
    if (this.running) this.child.kill(sig);
  }

  log() {
    return fs.existsSync(this.logFile) ? fs.readFileSync(this.logFile, 'utf8') : '';
  }
}

class Pod {
  // spec: the rendered pod template; volumes: {claimName -> dir} for the pod's PersistentVolumes.
  constructor({ name, namespace, ip, node, labels, spec, dir, configMaps, persistentVolumes, platformEnv, onChange }) {
    Object.assign(this, { name, namespace, ip, node, labels, spec, dir, configMaps, onChange });
    this.deleted = false;
    this.createdAt = Date.now();
    fs.mkdirSync(dir, { recursive: true });
    this.volumes = {};
    for (const v of spec.volumes || []) {
      if (v.configMap) {
        const vdir = path.join(dir, 'volumes', v.name);
        fs.mkdirSync(vdir, { recursive: true });
        this.volumes[v.name] = { dir: vdir, configMap: v.configMap.name };
      } else if (v.emptyDir) {
        const vdir = path.join(dir, 'volumes', v.name);
        fs.mkdirSync(vdir, { recursive: true });
        this.volumes[v.name] = { dir: vdir };
      }
    }
    for (const [claim, vdir] of Object.entries(persistentVolumes || {})) {
      fs.mkdirSync(vdir, { recursive: true });
      this.volumes[claim] = { dir: vdir };
    }
    this.platformEnv = platformEnv;
    this.containers = (spec.containers || []).map((c) => new Container(this, c));
    // ConfigMap files are written with the pod's paths (its own copy, as a mounted volume is).
    for (const c of spec.containers || []) {
      for (const m of c.volumeMounts || []) {
        const v = this.volumes[m.name];
        if (v && v.configMap) {
          const data = (configMaps[v.configMap] || {}).data || {};
          for (const [file, text] of Object.entries(data)) fs.writeFileSync(path.join(v.dir, file), this.rewrite(text, c));
        }
      }
    }
  }

  mounts(containerSpec) {
    return (containerSpec.volumeMounts || []).filter((m) => this.volumes[m.name])
      .map((m) => ({ mountPath: m.mountPath, dir: this.volumes[m.name].dir }));
  }

  rewrite(text, containerSpec) {
    return localPath(this.mounts(containerSpec), text);
  }

  // The container's env as the kubelet gives it, then what a pod finds in its service-account
  // files (here as the member's environment), then the local platform's own additions.
  envFor(c) {
    const downward = {
      'metadata.name': this.name, 'metadata.namespace': this.namespace, 'spec.nodeName': this.node,
      'status.podIP': this.ip, 'status.hostIP': this.ip, 'spec.serviceAccountName': this.spec.serviceAccountName || 'default',
    };
    const env = { PATH: `${BUILD}:${process.env.PATH}`, HOSTNAME: this.name };
    for (const e of c.env || []) {
      if (e.valueFrom && e.valueFrom.fieldRef) env[e.name] = downward[e.valueFrom.fieldRef.fieldPath] ?? '';
      else if (e.valueFrom) env[e.name] = '';
      else env[e.name] = this.localhost(this.rewrite(expand(String(e.value ?? ''), env), c));
    }
    const extra = this.platformEnv(this, c);
    for (const [k, v] of Object.entries(extra)) {
      if (k === 'JAVA_OPTS') env.JAVA_OPTS = [env.JAVA_OPTS, v].filter(Boolean).join(' ');
      else if (!(k in env)) env[k] = v;
    }
    return env;
  }

  // "localhost" in a pod is the pod's own network namespace: here its loopback address.
  localhost(value) {
    return value.replace(/\blocalhost(?=:\d)|\b127\.0\.0\.1(?=:\d)/g, this.ip);
  }

  start() {
    for (const c of this.containers) c.start();
    this.readinessChanged();
    return this;
  }

  get ready() {
    return !this.deleted && this.containers.length > 0 && this.containers.every((c) => c.ready);
  }

  get running() {
    return this.containers.some((c) => c.running);
  }

  get restarts() {
    return this.containers.reduce((n, c) => n + c.restarts, 0);
  }

  readinessChanged() {
    const ready = this.ready;
    if (ready !== this.lastReady) {
      this.lastReady = ready;
      if (ready && !this.readyAt) this.readyAt = Date.now();
      this.onChange(this);
    }
  }

  // restartPolicy Always: a container that exits comes back after a back-off (1 s, 2 s, 4 s ...
  // at most 10 s here), as CrashLoopBackOff does.
  containerExited(container) {
    this.lastExitCode = container.exit.code;
    this.readinessChanged();
    if (this.deleted || (this.spec.restartPolicy && this.spec.restartPolicy !== 'Always')) return;
    const backoff = Math.min(1000 * 2 ** container.restarts, 10000);
    container.restarts += 1;
    container.restartTimer = setTimeout(() => {
      if (!this.deleted) container.start();
    }, backoff);
  }

  // Deletion as the kubelet carries it out: not ready at once (the endpoint controllers drop a
  // terminating pod), SIGTERM to every container, SIGKILL for those still running after the grace
  // period. graceSeconds 0 is `--grace-period=0 --force`: SIGKILL now.
  async delete(graceSeconds = this.spec.terminationGracePeriodSeconds ?? 30) {
    if (this.deleting) return this.deleting;
    this.deleted = true;
    this.deletedAt = Date.now();
    for (const c of this.containers) clearTimeout(c.restartTimer);
    this.readinessChanged();
    this.deleting = (async () => {
      const running = this.containers.filter((c) => c.running);
      for (const c of running) c.signal(graceSeconds === 0 ? 'SIGKILL' : 'SIGTERM');
      const timer = setTimeout(() => running.forEach((c) => c.signal('SIGKILL')), graceSeconds * 1000);
      const exits = await Promise.all(running.map((c) => c.exited));
      clearTimeout(timer);
      this.terminatedAt = Date.now();
      this.onChange(this);
      return Object.fromEntries(running.map((c, i) => [c.name, exits[i]]));
    })();
    return this.deleting;
  }

  container(name) {
    const c = name ? this.containers.find((x) => x.name === name) : this.containers[0];
    if (!c) throw new Error(`${this.name} has no container ${name}`);
    return c;
  }
}

module.exports = { Pod, programOf, localPath, expand, MEMBER_BINARY, BUILD, ROOT };
