# Versions of everything the local control plane is built from. Sourced by build.sh.
# Kubernetes and etcd come from tests/cluster/gomod/kubernetes/go.mod (etcd at the
# version Kubernetes itself is tested with), kwok and krew from gomod/{kwok,krew}; the CRDs
# from their projects' Go modules at the versions below.
K8S_VERSION=v1.35.4
KWOK_VERSION=v0.7.0
KREW_VERSION=v0.4.3
LWS_VERSION=v0.7.0
JOBSET_VERSION=v0.10.1
KEDA_VERSION=v2.21.0
KUEUE_VERSION=v0.17.0
# The PodMonitor and Prometheus CRDs (serve --monitor) from the Prometheus Operator's module.
PROMETHEUS_OPERATOR_VERSION=v0.85.0
# The TCP fault proxy of the fault-injection suite (tests/faults), from gomod/toxiproxy.
TOXIPROXY_VERSION=v2.5.0
# Prometheus (tests/cluster/prometheus.sh: runs the PromQL serve renders), from gomod/prometheus;
# module v0.316.0 is Prometheus v3.16.0.
PROMETHEUS_VERSION=v0.316.0
# Karpenter's CRDs (NodePool, NodeClaim) from sigs.k8s.io/karpenter. v1.14.1: its go.mod asks for go 1.26.6;
# v1.14.3 and v1.15.0 ask for go >= 1.26.10, which `go mod download` refuses with an older local Go
# (GOTOOLCHAIN=local), and this machine has go1.26.8.
KARPENTER_VERSION=v1.14.1
