{{/* Chart name, truncated to 63 characters (a DNS label). */}}
{{- define "porthole.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* Full name: the release name, with the chart name unless the release name contains it. */}}
{{- define "porthole.fullname" -}}
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

{{- define "porthole.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "porthole.selectorLabels" -}}
app.kubernetes.io/name: {{ include "porthole.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "porthole.labels" -}}
helm.sh/chart: {{ include "porthole.chart" . }}
{{ include "porthole.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end -}}

{{- define "porthole.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "porthole.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{/* HTTPS when Porthole terminates TLS itself. */}}
{{- define "porthole.scheme" -}}
{{- if .Values.tls.existingSecret -}}HTTPS{{- else -}}HTTP{{- end -}}
{{- end -}}

{{/*
Refuses values that cannot work. Included by the Deployment, so every render checks them.
*/}}
{{- define "porthole.validate" -}}
{{- $mode := .Values.auth.mode -}}
{{- if not (has $mode (list "token" "local" "oidc" "proxy")) -}}
{{- fail (printf "auth.mode %q is not one of token, local, oidc, proxy (mode none only serves loopback and cannot run in a pod)" $mode) -}}
{{- end -}}
{{- if gt (int .Values.replicaCount) 1 -}}
{{- if not .Values.database.existingSecret -}}
{{- fail (printf "replicaCount %d needs database.existingSecret: without PostgreSQL the state is a SQLite file on one pod's data volume, so only 1 replica is allowed" (int .Values.replicaCount)) -}}
{{- end -}}
{{- end -}}
{{- if and .Values.database.existingSecret (not .Values.session.existingSecret) -}}
{{- fail "database.existingSecret needs session.existingSecret: with PostgreSQL every replica (and every restart) must sign session cookies and seal shell ids with the same secret, and Porthole refuses to start without PORTHOLE_SESSION_SECRET" -}}
{{- end -}}
{{- if ge (int .Values.drainTimeoutSeconds) (int .Values.terminationGracePeriodSeconds) -}}
{{- fail (printf "drainTimeoutSeconds (%d) must be under terminationGracePeriodSeconds (%d): the drain has to end before the kubelet kills the pod" (int .Values.drainTimeoutSeconds) (int .Values.terminationGracePeriodSeconds)) -}}
{{- end -}}
{{- if eq $mode "local" -}}
{{- $_ := required "auth.local.usersSecret is required for auth.mode local" .Values.auth.local.usersSecret -}}
{{- end -}}
{{- if eq $mode "oidc" -}}
{{- $_ := required "auth.oidc.issuer is required for auth.mode oidc" .Values.auth.oidc.issuer -}}
{{- $_ := required "auth.oidc.clientId is required for auth.mode oidc" .Values.auth.oidc.clientId -}}
{{- $_ := required "auth.oidc.clientSecret.existingSecret is required for auth.mode oidc" .Values.auth.oidc.clientSecret.existingSecret -}}
{{- end -}}
{{- if eq $mode "proxy" -}}
{{- $_ := required "auth.proxy.trustedProxies is required for auth.mode proxy" .Values.auth.proxy.trustedProxies -}}
{{- end -}}
{{- end -}}
