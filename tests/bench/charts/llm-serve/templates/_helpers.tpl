{{- define "llm.labels" -}}
app.kubernetes.io/component: serve
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/name: vllm
{{- end -}}
{{- define "llm.pod" -}}
spec:
  tolerations:
  - key: nvidia.com/gpu
    operator: Exists
    effect: NoSchedule
  containers:
  - name: vllm
    image: {{ .Values.image | quote }}
    {{- if .leader }}
    command: ["/bin/sh", "-c", "ray start --head --port=6379 --disable-usage-stats && exec vllm serve \"$@\"", "vllm-leader"]
    args:
    - {{ .Values.model | quote }}
    - --port
    - {{ .Values.port | quote }}
    - --tensor-parallel-size
    - {{ .Values.gpus | quote }}
    - --pipeline-parallel-size
    - {{ .Values.nodes | quote }}
    - --distributed-executor-backend
    - ray
    ports:
    - name: http
      containerPort: {{ .Values.port }}
    readinessProbe:
      httpGet: {path: /health, port: http}
    {{- else }}
    command: ["/bin/sh", "-c", "exec ray start --address=\"$LWS_LEADER_ADDRESS:6379\" --block"]
    {{- end }}
    resources:
      limits:
        nvidia.com/gpu: {{ .Values.gpus }}
    volumeMounts:
    - name: dshm
      mountPath: /dev/shm
  volumes:
  - name: dshm
    emptyDir:
      medium: Memory
      sizeLimit: {{ .Values.shmSize }}
{{- end -}}
