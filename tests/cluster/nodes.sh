#!/usr/bin/env bash
# Prints a v1 List of fake nodes for kwok to manage, with what NVIDIA's device
# plugin and GPU feature discovery publish on a real GPU node.
#   nodes.sh gpu COUNT [PREFIX] [FIRST_INDEX]   8x H100 nodes, tainted nvidia.com/gpu
#   nodes.sh cpu COUNT [PREFIX] [FIRST_INDEX]   CPU-only nodes
set -euo pipefail
kind=${1:?usage: nodes.sh gpu|cpu COUNT [PREFIX] [FIRST_INDEX]}
count=${2:?usage: nodes.sh gpu|cpu COUNT [PREFIX] [FIRST_INDEX]}
prefix=${3:-$kind-node-}
first=${4:-0}
zones=(zone-a zone-b)

echo "---"
echo "apiVersion: v1"
echo "kind: List"
echo "items:"
for ((i = first; i < first + count; i++)); do
  name="$prefix$i"
  zone=${zones[$((i % 2))]}
  cat <<NODE
- apiVersion: v1
  kind: Node
  metadata:
    name: $name
    annotations:
      kwok.x-k8s.io/node: fake
      node.alpha.kubernetes.io/ttl: "0"
    labels:
      kubernetes.io/hostname: $name
      kubernetes.io/os: linux
      kubernetes.io/arch: amd64
      type: kwok
      topology.kubernetes.io/zone: $zone
      topology.kubernetes.io/region: local
NODE
  if [[ $kind == gpu ]]; then
    cat <<NODE
      node.kubernetes.io/instance-type: gpu-8x-h100
      nvidia.com/gpu.present: "true"
      nvidia.com/gpu.product: NVIDIA-H100-80GB-HBM3
      nvidia.com/gpu.memory: "81559"
      nvidia.com/gpu.count: "8"
      nvidia.com/gpu.family: hopper
  spec:
    taints:
    - key: nvidia.com/gpu
      value: present
      effect: NoSchedule
  status:
    allocatable: {cpu: "192", memory: 2000Gi, pods: "110", ephemeral-storage: 3500Gi, nvidia.com/gpu: "8"}
    capacity: {cpu: "192", memory: 2048Gi, pods: "110", ephemeral-storage: 3800Gi, nvidia.com/gpu: "8"}
NODE
  else
    cat <<NODE
      node.kubernetes.io/instance-type: cpu-32
  status:
    allocatable: {cpu: "32", memory: 120Gi, pods: "110", ephemeral-storage: 500Gi}
    capacity: {cpu: "32", memory: 128Gi, pods: "110", ephemeral-storage: 512Gi}
NODE
  fi
  cat <<NODE
    nodeInfo:
      architecture: amd64
      operatingSystem: linux
      osImage: kwok
      kernelVersion: kwok
      kubeletVersion: fake
      kubeProxyVersion: fake
      containerRuntimeVersion: kwok
      machineID: $name
      systemUUID: $name
      bootID: $name
NODE
done
