'use strict';
// The platform interface: what a conformance scenario may ask of the platform it runs on. Two
// drivers implement it, with the same scenarios on both: `local` (./local/local_platform.js,
// the default: the chart rendered by helm template, its pods run as processes here) and
// `kubernetes` (./kubernetes/kubernetes_platform.js: helm and kubectl against $KUBECONFIG).
//
//   await platform.start()                        set up (the API stand-in, or check the cluster)
//   await platform.install(release, values)      helm install; values: {values: [files relative to
//                                                the repository], set: ['k=v'], setJson: [...],
//                                                namespace}; a chart refusal throws HelmError
//                                                with helm's message
//   await platform.upgrade(release, values)      helm upgrade (same values shape; given keys
//                                                replace the release's, so set: [] drops them)
//   await platform.uninstall(release)
//   await platform.waitForRollout(release, ms)   every workload of the release has its replicas,
//                                                on the current template, all ready
//   await platform.pods(release?)                [{name, release, ready, phase, node, zone,
//                                                restarts, lastExitCode}] sorted by name
//   await platform.statefulSetStatus(release)    {replicas, readyReplicas, currentReplicas, ...}
//   await platform.killPod(name, {graceSeconds}) delete the pod: SIGTERM, the grace period
//                                                (default: the pod's), SIGKILL; graceSeconds 0 is
//                                                a SIGKILL now (--grace-period=0 --force). The
//                                                controller re-creates it.
//   await platform.killNode(node)                every pod on the node SIGKILLed; the node takes
//                                                no new pods (cordoned)
//   await platform.killZone(zone)                killNode for each node of the zone
//   await platform.uncordon(node)
//   platform.nodes()                             [{name, zone, schedulable}]
//   await platform.logs(pod, container?)         the container's log (the last run's)
//   await platform.endpoint(pod, port)           "host:port" at which the suite reaches the port
//   await platform.wipeVolume(release, pod)      the pod's PersistentVolume is lost (the pod must
//                                                be stopped: scale down first or kill it)
//   await platform.helmTest(release)             helm test: {ok, results: [{name, ok, log}]}
//   platform.allLogs()                           what to attach to a failure
//   await platform.close()                       stop everything this platform started
//
// A driver that cannot do something (the kubernetes driver has no wipeVolume) throws
// NotSupported; scenarios then skip that step and say so.
const PLATFORMS = ['local', 'kubernetes'];

class NotSupported extends Error {}
// helm refused (a schema error, a name in use ...): the message is helm's.
class HelmError extends Error {}

function platformName() {
  const name = process.env.SHOAL_PLATFORM || process.env.PLATFORM || 'local';
  if (!PLATFORMS.includes(name)) throw new Error(`unknown platform '${name}' (one of ${PLATFORMS.join(', ')})`);
  return name;
}

// options: {subnet (local: the third octet of the pod addresses), nodes (local: [{name, zone}])}
function createPlatform(options = {}) {
  if (platformName() === 'kubernetes') {
    const { KubernetesPlatform } = require('./kubernetes/kubernetes_platform');
    return new KubernetesPlatform(options);
  }
  const { LocalPlatform } = require('./local/local_platform');
  return new LocalPlatform(options);
}

module.exports = { createPlatform, platformName, NotSupported, HelmError, PLATFORMS };
