{{/*
Named templates of the Shoal chart: names, labels, the mode, the member's config, its container,
the pod spec shared by the StatefulSet and the Deployment, and the one validateValues check.
*/}}

{{/* The chart name, or nameOverride. */}}
{{- define "shoal.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* The prefix of every object name: fullnameOverride, else <release>-<chart> (or the release when it holds the chart name). */}}
{{- define "shoal.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{/* chart-version, for the helm.sh/chart label. */}}
{{- define "shoal.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* Labels of every object. */}}
{{- define "shoal.labels" -}}
helm.sh/chart: {{ include "shoal.chart" . }}
{{ include "shoal.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: shoal
{{- with .Values.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end -}}

{{/* Labels that select this release's pods. */}}
{{- define "shoal.selectorLabels" -}}
app.kubernetes.io/name: {{ include "shoal.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{/* Labels that select every member of the cluster, across releases sharing one discovery Service. */}}
{{- define "shoal.discoveryLabels" -}}
app.kubernetes.io/name: {{ include "shoal.name" . }}
shoal.io/discovery-service: {{ include "shoal.discoveryServiceName" . }}
{{- end -}}

{{/* metadata.annotations lines from commonAnnotations (empty when there are none). */}}
{{- define "shoal.annotations" -}}
{{- with .Values.commonAnnotations }}
annotations:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- end -}}

{{/* The headless Service members discover each other through. */}}
{{- define "shoal.discoveryServiceName" -}}
{{- default (printf "%s-discovery" (include "shoal.fullname" .)) .Values.discovery.serviceName | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* The ServiceAccount the pods run as. */}}
{{- define "shoal.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "shoal.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{/* client-server, sidecar or embedded. */}}
{{- define "shoal.mode" -}}
{{- if .Values.sidecar.enabled -}}sidecar{{- else if .Values.embedded.enabled -}}embedded{{- else -}}client-server{{- end -}}
{{- end -}}

{{/* StatefulSet for members, Deployment for apps that carry their members (sidecar, embedded). */}}
{{- define "shoal.workloadKind" -}}
{{- if eq (include "shoal.mode" .) "client-server" -}}StatefulSet{{- else -}}Deployment{{- end -}}
{{- end -}}

{{/* The partition group the members use. */}}
{{- define "shoal.partitionGroupType" -}}
{{- if .Values.partitionGroup.type -}}{{ .Values.partitionGroup.type }}{{- else if .Values.zoneAware.enabled -}}ZONE_AWARE{{- else -}}NODE_AWARE{{- end -}}
{{- end -}}

{{/* "true" when the zone is passed to the member from zoneAware.zone rather than read from its Node (no ClusterRole, or DNS discovery). */}}
{{- define "shoal.explicitZone" -}}
{{- if and .Values.zoneAware.enabled (or (not .Values.rbac.useClusterRole) (eq .Values.discovery.mode "dns")) -}}true{{- end -}}
{{- end -}}

{{/* "true" when the member reads its Node's zone label, which takes a ClusterRole. */}}
{{- define "shoal.needsNodesRead" -}}
{{- if and .Values.rbac.create (eq .Values.discovery.mode "kubernetes") (eq (include "shoal.partitionGroupType" .) "ZONE_AWARE") (not (include "shoal.explicitZone" .)) -}}true{{- end -}}
{{- end -}}

{{/* "true" when the master follows the StatefulSet (automatic cluster state), which takes statefulsets watch. */}}
{{- define "shoal.needsStatefulSetWatch" -}}
{{- if and .Values.persistence.enabled .Values.persistence.autoClusterState (eq .Values.discovery.mode "kubernetes") -}}true{{- end -}}
{{- end -}}

{{/* An image reference from {registry, repository, tag, digest}. */}}
{{- define "shoal.imageRef" -}}
{{- $prefix := ternary (printf "%s/" .registry) "" (ne (default "" .registry) "") -}}
{{- if .digest -}}
{{- printf "%s%s@%s" $prefix .repository .digest -}}
{{- else -}}
{{- printf "%s%s:%s" $prefix .repository (toString .tag) -}}
{{- end -}}
{{- end -}}

{{/* The Shoal image. */}}
{{- define "shoal.image" -}}
{{- include "shoal.imageRef" (dict "registry" .Values.image.registry "repository" .Values.image.repository "tag" (default .Chart.AppVersion .Values.image.tag) "digest" .Values.image.digest) -}}
{{- end -}}

{{/* An app image (sidecar or embedded): its own repository, else the Shoal image. Call with (list $ appValues). */}}
{{- define "shoal.appImage" -}}
{{- $root := index . 0 -}}
{{- $app := index . 1 -}}
{{- if $app.image.repository -}}
{{- include "shoal.imageRef" (dict "registry" "" "repository" $app.image.repository "tag" (default "latest" $app.image.tag) "digest" "") -}}
{{- else -}}
{{- include "shoal.imageRef" (dict "registry" $root.Values.image.registry "repository" $root.Values.image.repository "tag" (default (default $root.Chart.AppVersion $root.Values.image.tag) $app.image.tag) "digest" (ternary "" $root.Values.image.digest (ne (default "" $app.image.tag) ""))) -}}
{{- end -}}
{{- end -}}

{{/* The member's shoal.yaml (root `hazelcast:`), generated from values with config.overrides deep-merged over it. */}}
{{- define "shoal.config" -}}
{{- $v := .Values -}}
{{- $join := dict -}}
{{- if eq $v.discovery.mode "dns" -}}
{{- $_ := set $join "kubernetes" (dict "enabled" true "service-dns" (printf "%s.%s.svc.%s" (include "shoal.discoveryServiceName" .) .Release.Namespace $v.clusterDomain) "service-port" (int $v.member.port)) -}}
{{- else -}}
{{- $_ := set $join "kubernetes" (dict "enabled" true "service-name" (include "shoal.discoveryServiceName" .) "namespace" .Release.Namespace "service-port" (int $v.member.port)) -}}
{{- end -}}
{{- $_ := set $join "tcp-ip" (dict "enabled" false) -}}
{{- $groups := dict "HEALTH_CHECK" (dict "enabled" true) "CLUSTER_READ" (dict "enabled" true) "CLUSTER_WRITE" (dict "enabled" true) "DATA" (dict "enabled" true) -}}
{{- $network := dict "port" (dict "port" (int $v.member.port) "auto-increment" false) "rest-api" (dict "enabled" true "endpoint-groups" $groups) "join" $join -}}
{{- $properties := dict "hazelcast.partition.count" (int $v.config.partitionCount) "shoal.log.level" $v.member.logLevel -}}
{{- $config := dict "cluster-name" $v.cluster.name "network" $network -}}
{{- $_ := set $config "partition-group" (dict "enabled" true "group-type" (include "shoal.partitionGroupType" .)) -}}
{{- $_ := set $config "map" (dict "default" (dict "backup-count" (int $v.config.backupCount) "async-backup-count" (int $v.config.asyncBackupCount))) -}}
{{- if $v.persistence.enabled -}}
{{- $p := $v.persistence -}}
{{- $_ := set $config "persistence" (dict "enabled" true "base-dir" $p.baseDir "cluster-data-recovery-policy" $p.clusterDataRecoveryPolicy "auto-remove-stale-data" $p.autoRemoveStaleData "validation-timeout-seconds" (int $p.validationTimeoutSeconds) "data-load-timeout-seconds" (int $p.dataLoadTimeoutSeconds)) -}}
{{- $_ := set $properties "hazelcast.persistence.auto.cluster.state" $p.autoClusterState -}}
{{- $_ := set $properties "hazelcast.persistence.auto.cluster.state.strategy" $p.autoClusterStateStrategy -}}
{{- $_ := set $properties "hazelcast.stale.join.prevention.duration.seconds" (int $p.staleJoinPreventionSeconds) -}}
{{- end -}}
{{- $_ := set $config "properties" (mergeOverwrite $properties (deepCopy $v.config.properties)) -}}
{{- $merged := mergeOverwrite $config (deepCopy $v.config.overrides) -}}
{{- toYaml (dict "hazelcast" $merged) -}}
{{- end -}}

{{/* JAVA_OPTS of the member: shutdown policy and bound, placement, then member.javaOpts. */}}
{{- define "shoal.javaOpts" -}}
{{- $opts := list -}}
{{- if .Values.gracefulShutdown.enabled -}}
{{- $opts = append $opts "-Dhazelcast.shutdownhook.policy=GRACEFUL" -}}
{{- $opts = append $opts (printf "-Dhazelcast.graceful.shutdown.max.wait=%d" (int .Values.gracefulShutdown.maxWaitSeconds)) -}}
{{- else -}}
{{- $opts = append $opts "-Dhazelcast.shutdownhook.policy=TERMINATE" -}}
{{- end -}}
{{- $group := include "shoal.partitionGroupType" . -}}
{{- if ne $group "PER_MEMBER" -}}
{{- $opts = append $opts "-Dhazelcast.partition.group.node=$(NODE_NAME)" -}}
{{- end -}}
{{- if include "shoal.explicitZone" . -}}
{{- $opts = append $opts (printf "-Dhazelcast.partition.group.zone=%s" .Values.zoneAware.zone) -}}
{{- end -}}
{{- with .Values.member.javaOpts -}}
{{- $opts = append $opts . -}}
{{- end -}}
{{- join " " $opts -}}
{{- end -}}

{{/* terminationGracePeriodSeconds: the graceful hand-off bound, so Kubernetes never SIGKILLs a member still handing over. */}}
{{- define "shoal.terminationGracePeriodSeconds" -}}
{{- if .Values.gracefulShutdown.enabled -}}{{ int .Values.gracefulShutdown.maxWaitSeconds }}{{- else -}}30{{- end -}}
{{- end -}}

{{/* securityContext of a container. */}}
{{- define "shoal.containerSecurityContext" -}}
{{- if .Values.containerSecurityContext.enabled -}}
securityContext:
  {{- toYaml (omit .Values.containerSecurityContext "enabled") | nindent 2 }}
  runAsNonRoot: true
  seccompProfile:
    type: RuntimeDefault
{{- end }}
{{- end -}}

{{/* An HTTP probe of the member on a health path. Call with (list probeValues path). */}}
{{- define "shoal.memberProbe" -}}
{{- $probe := index . 0 -}}
httpGet:
  path: {{ index . 1 }}
  port: hazelcast
{{- range $key := list "initialDelaySeconds" "periodSeconds" "timeoutSeconds" "failureThreshold" }}
{{- if hasKey $probe $key }}
{{ $key }}: {{ int (index $probe $key) }}
{{- end }}
{{- end }}
{{- end -}}

{{/*
A container that runs a member: shoal-member itself, or the embedded app that links it.
Call with (dict "root" $ "name" NAME "image" IMAGE "pullPolicy" P "command" LIST "args" LIST "extraPorts" LIST).
*/}}
{{- define "shoal.memberContainer" -}}
{{- $ := .root -}}
{{- $v := $.Values -}}
- name: {{ .name }}
  image: {{ .image | quote }}
  imagePullPolicy: {{ .pullPolicy }}
  {{- with .command }}
  command:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  {{- with .args }}
  args:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  ports:
    - name: hazelcast
      containerPort: {{ int $v.member.port }}
      protocol: TCP
    {{- with .extraPorts }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
  env:
    - name: POD_NAME
      valueFrom:
        fieldRef:
          fieldPath: metadata.name
    - name: NODE_NAME
      valueFrom:
        fieldRef:
          fieldPath: spec.nodeName
    - name: KUBERNETES_NAMESPACE
      valueFrom:
        fieldRef:
          fieldPath: metadata.namespace
    - name: SHOAL_CONFIG
      value: /etc/shoal/shoal.yaml
    - name: JAVA_OPTS
      value: {{ include "shoal.javaOpts" $ | quote }}
    {{- with $v.member.extraEnv }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
  {{- if $v.member.startupProbe.enabled | or $v.persistence.enabled }}
  startupProbe:
    {{- include "shoal.memberProbe" (list (dict "periodSeconds" $v.member.startupProbe.periodSeconds "failureThreshold" $v.member.startupProbe.failureThreshold "timeoutSeconds" $v.member.livenessProbe.timeoutSeconds) "/hazelcast/health/node-state") | nindent 4 }}
  {{- end }}
  {{- if $v.member.livenessProbe.enabled }}
  livenessProbe:
    {{- include "shoal.memberProbe" (list $v.member.livenessProbe "/hazelcast/health/node-state") | nindent 4 }}
  {{- end }}
  {{- if $v.member.readinessProbe.enabled }}
  readinessProbe:
    {{- include "shoal.memberProbe" (list $v.member.readinessProbe "/hazelcast/health/ready") | nindent 4 }}
  {{- end }}
  {{- with $v.member.resources }}
  resources:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  {{- with (include "shoal.containerSecurityContext" $) }}{{ . | nindent 2 }}{{- end }}
  volumeMounts:
    - name: config
      mountPath: /etc/shoal
      readOnly: true
    - name: tmp
      mountPath: /tmp
    {{- if $v.persistence.enabled }}
    - name: persistence
      mountPath: {{ $v.persistence.baseDir }}
    {{- end }}
    {{- with $v.extraVolumeMounts }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
{{- end -}}

{{/* The sidecar app container: the user's app, pointed at the member beside it on localhost. */}}
{{- define "shoal.sidecarAppContainer" -}}
{{- $app := .Values.sidecar.app -}}
- name: app
  image: {{ include "shoal.appImage" (list . $app) | quote }}
  imagePullPolicy: {{ $app.image.pullPolicy }}
  {{- with $app.command }}
  command:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  {{- with $app.args }}
  args:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  ports:
    - name: app
      containerPort: {{ int $app.port }}
      protocol: TCP
  env:
    - name: SHOAL_ADDRESS
      value: {{ printf "localhost:%d" (int .Values.member.port) | quote }}
    - name: SHOAL_CLUSTER_NAME
      value: {{ .Values.cluster.name | quote }}
    - name: PORT
      value: {{ int $app.port | toString | quote }}
    {{- with $app.env }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
  {{- with $app.livenessProbe }}
  livenessProbe:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  {{- with $app.readinessProbe }}
  readinessProbe:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  {{- with $app.resources }}
  resources:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  {{- with (include "shoal.containerSecurityContext" .) }}{{ . | nindent 2 }}{{- end }}
  volumeMounts:
    - name: tmp
      mountPath: /tmp
{{- end -}}

{{/* Scheduling of the pods: anti-affinity preset and zone nodeAffinity (or the user's affinity). */}}
{{- define "shoal.affinity" -}}
{{- if .Values.affinity -}}
{{- toYaml .Values.affinity -}}
{{- else -}}
{{- $term := dict "labelSelector" (dict "matchLabels" (include "shoal.discoveryLabels" . | fromYaml)) "topologyKey" "kubernetes.io/hostname" -}}
{{- $affinity := dict -}}
{{- if eq .Values.podAntiAffinity "hard" -}}
{{- $_ := set $affinity "podAntiAffinity" (dict "requiredDuringSchedulingIgnoredDuringExecution" (list $term)) -}}
{{- else if eq .Values.podAntiAffinity "soft" -}}
{{- $_ := set $affinity "podAntiAffinity" (dict "preferredDuringSchedulingIgnoredDuringExecution" (list (dict "weight" 100 "podAffinityTerm" $term))) -}}
{{- end -}}
{{- if .Values.zoneAware.enabled -}}
{{- $expr := dict "key" .Values.zoneAware.nodeLabel "operator" "In" "values" (list .Values.zoneAware.zone) -}}
{{- $_ := set $affinity "nodeAffinity" (dict "requiredDuringSchedulingIgnoredDuringExecution" (dict "nodeSelectorTerms" (list (dict "matchExpressions" (list $expr))))) -}}
{{- end -}}
{{- if $affinity -}}{{- toYaml $affinity -}}{{- end -}}
{{- end -}}
{{- end -}}

{{/* The pod template shared by the StatefulSet and the Deployment. */}}
{{- define "shoal.podTemplate" -}}
{{- $mode := include "shoal.mode" . -}}
metadata:
  labels:
    {{- include "shoal.labels" . | nindent 4 }}
    shoal.io/discovery-service: {{ include "shoal.discoveryServiceName" . }}
    {{- with .Values.podLabels }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
  annotations:
    checksum/config: {{ include (print .Template.BasePath "/configmap.yaml") . | sha256sum }}
    kubectl.kubernetes.io/default-container: {{ ternary "member" "app" (ne $mode "embedded") }}
    {{- if .Values.metrics.enabled }}
    prometheus.io/scrape: "true"
    prometheus.io/port: {{ int .Values.member.port | toString | quote }}
    prometheus.io/path: /metrics
    {{- end }}
    {{- with .Values.podAnnotations }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
spec:
  serviceAccountName: {{ include "shoal.serviceAccountName" . }}
  automountServiceAccountToken: {{ eq .Values.discovery.mode "kubernetes" }}
  terminationGracePeriodSeconds: {{ include "shoal.terminationGracePeriodSeconds" . }}
  {{- with .Values.image.pullSecrets }}
  imagePullSecrets:
    {{- range . }}
    - name: {{ . }}
    {{- end }}
  {{- end }}
  {{- with .Values.priorityClassName }}
  priorityClassName: {{ . }}
  {{- end }}
  {{- if .Values.podSecurityContext.enabled }}
  securityContext:
    {{- toYaml (omit .Values.podSecurityContext "enabled") | nindent 4 }}
    seccompProfile:
      type: RuntimeDefault
  {{- end }}
  {{- with (include "shoal.affinity" .) }}
  affinity:
    {{- . | nindent 4 }}
  {{- end }}
  {{- if .Values.topologySpread.enabled }}
  topologySpreadConstraints:
    - maxSkew: {{ int .Values.topologySpread.maxSkew }}
      topologyKey: {{ .Values.topologySpread.topologyKey }}
      whenUnsatisfiable: {{ .Values.topologySpread.whenUnsatisfiable }}
      labelSelector:
        matchLabels:
          {{- include "shoal.selectorLabels" . | nindent 10 }}
  {{- end }}
  {{- with .Values.nodeSelector }}
  nodeSelector:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  {{- with .Values.tolerations }}
  tolerations:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  {{- with .Values.initContainers }}
  initContainers:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  containers:
    {{- if eq $mode "sidecar" }}
    {{- include "shoal.sidecarAppContainer" . | nindent 4 }}
    {{- end }}
    {{- if eq $mode "embedded" }}
    {{- $app := .Values.embedded.app }}
    {{- include "shoal.memberContainer" (dict "root" . "name" "app" "image" (include "shoal.appImage" (list . $app)) "pullPolicy" $app.image.pullPolicy "command" $app.command "args" $app.args "extraPorts" $app.ports) | nindent 4 }}
    {{- else }}
    {{- include "shoal.memberContainer" (dict "root" . "name" "member" "image" (include "shoal.image" .) "pullPolicy" .Values.image.pullPolicy "command" (list) "args" .Values.member.args "extraPorts" (list)) | nindent 4 }}
    {{- end }}
  volumes:
    - name: config
      configMap:
        name: {{ include "shoal.fullname" . }}
    - name: tmp
      emptyDir:
        sizeLimit: 64Mi
    {{- with .Values.extraVolumes }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
{{- end -}}

{{/*
Every inconsistency of the values, gathered and reported at once (values.schema.json catches types
and the simple rules first; this catches the rest and explains each).
*/}}
{{- define "shoal.validateValues" -}}
{{- $v := .Values -}}
{{- $errors := list -}}
{{- if and $v.sidecar.enabled $v.embedded.enabled -}}
{{- $errors = append $errors "sidecar.enabled and embedded.enabled are both true: choose one mode (sidecar runs the member beside the app, embedded runs it inside the app)" -}}
{{- end -}}
{{- if and $v.persistence.enabled (or $v.sidecar.enabled $v.embedded.enabled) -}}
{{- $errors = append $errors "persistence.enabled needs the members' StatefulSet (client-server mode); sidecar and embedded modes run a Deployment" -}}
{{- end -}}
{{- if and $v.zoneAware.enabled (not $v.zoneAware.zone) -}}
{{- $errors = append $errors "zoneAware.enabled needs zoneAware.zone, the zone this release runs in (e.g. --set zoneAware.zone=us-central1-a)" -}}
{{- end -}}
{{- if and $v.zoneAware.enabled (not $v.discovery.serviceName) -}}
{{- $errors = append $errors "zoneAware.enabled needs discovery.serviceName, the discovery Service every zone's release shares (set discovery.createService=true in exactly one of them)" -}}
{{- end -}}
{{- if and $v.zoneAware.enabled $v.partitionGroup.type (ne $v.partitionGroup.type "ZONE_AWARE") -}}
{{- $errors = append $errors (printf "zoneAware.enabled keeps backups in other zones (ZONE_AWARE), but partitionGroup.type is %s: leave it empty or set ZONE_AWARE" $v.partitionGroup.type) -}}
{{- end -}}
{{- if and (eq (include "shoal.partitionGroupType" .) "ZONE_AWARE") (not $v.zoneAware.enabled) (eq $v.discovery.mode "dns") -}}
{{- $errors = append $errors "partitionGroup.type=ZONE_AWARE with discovery.mode=dns: the member reads its zone from the Kubernetes API only; use discovery.mode=kubernetes or zoneAware.enabled with zoneAware.zone" -}}
{{- end -}}
{{- if and (eq (include "shoal.partitionGroupType" .) "ZONE_AWARE") (not $v.zoneAware.enabled) (not $v.rbac.useClusterRole) -}}
{{- $errors = append $errors "partitionGroup.type=ZONE_AWARE with rbac.useClusterRole=false: reading the Node's zone label takes a ClusterRole; allow it, or use zoneAware.enabled with zoneAware.zone" -}}
{{- end -}}
{{- if and $v.persistence.enabled $v.persistence.autoClusterState (eq $v.discovery.mode "dns") -}}
{{- $errors = append $errors "persistence.autoClusterState watches the StatefulSet through the Kubernetes API: it needs discovery.mode=kubernetes (or set persistence.autoClusterState=false)" -}}
{{- end -}}
{{- if and (not $v.discovery.createService) (not $v.discovery.serviceName) -}}
{{- $errors = append $errors "discovery.createService=false needs discovery.serviceName: the name of the discovery Service made by another release or by hand" -}}
{{- end -}}
{{- range $name := list "hazelcast.shutdownhook.policy" "hazelcast.graceful.shutdown.max.wait" -}}
{{- if or (contains $name $v.member.javaOpts) (hasKey $v.config.properties $name) -}}
{{- $errors = append $errors (printf "%s is set by gracefulShutdown.enabled / gracefulShutdown.maxWaitSeconds (they also set terminationGracePeriodSeconds); remove it from member.javaOpts / config.properties" $name) -}}
{{- end -}}
{{- end -}}
{{- range $name, $value := dict "hazelcast.partition.count" "config.partitionCount" "shoal.log.level" "member.logLevel" "hazelcast.logging.level" "member.logLevel" "hazelcast.persistence.auto.cluster.state" "persistence.autoClusterState" "hazelcast.persistence.auto.cluster.state.strategy" "persistence.autoClusterStateStrategy" "hazelcast.stale.join.prevention.duration.seconds" "persistence.staleJoinPreventionSeconds" "hazelcast.partition.group.zone" "zoneAware.zone" "hazelcast.partition.group.node" "partitionGroup.type" -}}
{{- if or (hasKey $v.config.properties $name) (contains (printf "-D%s=" $name) $v.member.javaOpts) -}}
{{- $errors = append $errors (printf "%s is set by %s; remove it from config.properties / member.javaOpts" $name $value) -}}
{{- end -}}
{{- end -}}
{{- range $key, $value := dict "cluster-name" "cluster.name" "partition-group" "partitionGroup.type and zoneAware.*" "persistence" "persistence.*" "properties" "config.properties" -}}
{{- if hasKey $v.config.overrides $key -}}
{{- $errors = append $errors (printf "config.overrides.%s is set by %s; use those values so the pods, RBAC and config agree" $key $value) -}}
{{- end -}}
{{- end -}}
{{- if hasKey $v.config.overrides "network" -}}
{{- range $key, $value := dict "port" "member.port" "join" "discovery.*" "rest-api" "(always on: the probes, helm test and shoalctl use it)" -}}
{{- if hasKey $v.config.overrides.network $key -}}
{{- $errors = append $errors (printf "config.overrides.network.%s is set by %s; use those values so the pods, RBAC and config agree" $key $value) -}}
{{- end -}}
{{- end -}}
{{- end -}}
{{- if and $v.podManagementPolicy (eq (include "shoal.workloadKind" .) "Deployment") -}}
{{- $errors = append $errors "podManagementPolicy applies to the members' StatefulSet; sidecar and embedded modes run a Deployment (rolling one new pod in before an old one leaves)" -}}
{{- end -}}
{{- if and (eq (include "shoal.workloadKind" .) "StatefulSet") (gt (len (include "shoal.fullname" .)) 52) -}}
{{- $errors = append $errors (printf "the StatefulSet name %s is longer than 52 characters, which leaves no room for its pods' controller-revision-hash label: use a shorter release name or fullnameOverride" (include "shoal.fullname" .)) -}}
{{- end -}}
{{- if and $v.persistence.enabled (not $v.persistence.accessModes) -}}
{{- $errors = append $errors "persistence.accessModes must list at least one access mode" -}}
{{- end -}}
{{- if $errors -}}
{{- fail (printf "\n\nshoal: the values are inconsistent:\n  - %s\n" (join "\n  - " $errors)) -}}
{{- end -}}
{{- end -}}
