#!/usr/bin/env bash
# Builds (once) the programs and CRDs of the local control plane and prints the
# directory that holds them: bin/{etcd,kube-apiserver,kube-controller-manager,
# kube-scheduler,kubectl,kwok,kubectl-krew}, crds/*.yaml, kueue/{kueue,
# webhooks.yaml} (the Kueue controller manager and its webhook registrations,
# which kueue.sh starts on demand), toxiproxy/toxiproxy-server (the fault
# proxy, which toxiproxy.sh starts on demand) and controllers/{jobset,lws}/
# {NAME-manager,webhooks.yaml} (the JobSet and LWS controller managers, which
# controllers.sh starts on demand), prometheus/prometheus and keda/keda-operator
# (prometheus.sh and keda.sh start them on demand). Progress goes to stderr; stdout is only
# the directory.
#
# Cached steps, each keyed by only what goes into it, so that pinning a
# new CRD (minutes of downloads at most) never rebuilds the programs (~20-30 min
# of Go on 2 cores), a new Kubernetes never re-collects the CRDs, and a new
# Kueue never rebuilds Kubernetes:
#   programs-k8s-<K8S_VERSION>-<key>/bin  key: the program versions, gomod/{krew,kubernetes,kwok}/go.{mod,sum}, build_programs below
#   crds-<key>/crds                       key: the CRD versions, collect_crds below
#   kueue-<KUEUE_VERSION>-<key>/kueue     key: KUEUE_VERSION, gomod/kueue/go.{mod,sum}, build_kueue below
#   toxiproxy-<TOXIPROXY_VERSION>-<key>/toxiproxy  key: TOXIPROXY_VERSION, gomod/toxiproxy/go.{mod,sum}, build_toxiproxy
#   controllers-<key>/controllers         key: JOBSET_VERSION, LWS_VERSION, gomod/{jobset,lws}/go.{mod,sum},
#                                         kustomize_webhooks.py, build_controller(s)
#   prometheus-<PROMETHEUS_VERSION>-<key>/prometheus  key: PROMETHEUS_VERSION, gomod/prometheus/go.{mod,sum}, build_prometheus
#   keda-<KEDA_VERSION>-<key>/keda         key: KEDA_VERSION (its module's own go.sum pins the rest), build_keda
# The printed directory k8s-<K8S_VERSION>-<programs key>-<crds key>-<kueue key>-<toxiproxy key>-<controllers key>-<prometheus key>-<keda key>
# holds them all.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
source "$here/versions.sh"
cache_root=${LLM_CLUSTER_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/kubectl-llm/cluster}

# The programs, built from Go modules into $1.
build_programs() {
  local into=$1 minor ver ldflags
  minor=${K8S_VERSION#v1.}; minor=${minor%%.*}
  ver=k8s.io/component-base/version
  ldflags="-s -w -X $ver.gitVersion=$K8S_VERSION -X $ver.gitMajor=1 -X $ver.gitMinor=$minor \
    -X $ver.gitTreeState=clean -X $ver.buildDate=1970-01-01T00:00:00Z \
    -X k8s.io/client-go/pkg/version.gitVersion=$K8S_VERSION"
  echo "build.sh: building etcd and Kubernetes $K8S_VERSION from Go modules (first time only, ~20-30 min on 2 cores)..." >&2
  (cd "$here/gomod/kubernetes" &&
    go build -trimpath -ldflags "$ldflags" -o "$into/" \
      k8s.io/kubernetes/cmd/kube-apiserver k8s.io/kubernetes/cmd/kube-controller-manager \
      k8s.io/kubernetes/cmd/kube-scheduler k8s.io/kubernetes/cmd/kubectl &&
    go build -trimpath -ldflags "-s -w" -o "$into/etcd" go.etcd.io/etcd/server/v3) >&2
  echo "build.sh: building kwok $KWOK_VERSION..." >&2
  (cd "$here/gomod/kwok" &&
    go build -trimpath -ldflags "-s -w -X sigs.k8s.io/kwok/pkg/consts.Version=$KWOK_VERSION" \
      -o "$into/kwok" sigs.k8s.io/kwok/cmd/kwok) >&2
  echo "build.sh: building krew $KREW_VERSION..." >&2
  (cd "$here/gomod/krew" &&
    go build -trimpath -ldflags "-s -w -X sigs.k8s.io/krew/internal/version.gitTag=$KREW_VERSION" \
      -o "$into/kubectl-krew" sigs.k8s.io/krew/cmd/krew) >&2
}

# CRDs straight from each project's Go module at its pinned version, into $1.
collect_crds() {
  local into=$1 lws jobset keda kueue karpenter prometheus_operator crd
  module_dir() { (cd / && GOFLAGS= go mod download -json "$1" | sed -n 's/.*"Dir": "\(.*\)".*/\1/p'); }
  echo "build.sh: collecting CRDs from their Go modules..." >&2
  lws=$(module_dir "sigs.k8s.io/lws@$LWS_VERSION")
  jobset=$(module_dir "sigs.k8s.io/jobset@$JOBSET_VERSION")
  keda=$(module_dir "github.com/kedacore/keda/v2@$KEDA_VERSION")
  kueue=$(module_dir "sigs.k8s.io/kueue@$KUEUE_VERSION")
  karpenter=$(module_dir "sigs.k8s.io/karpenter@$KARPENTER_VERSION")
  prometheus_operator=$(module_dir "github.com/prometheus-operator/prometheus-operator@$PROMETHEUS_OPERATOR_VERSION")
  cp "$lws/config/crd/bases/leaderworkerset.x-k8s.io_leaderworkersets.yaml" "$into/"
  cp "$jobset/config/components/crd/bases/jobset.x-k8s.io_jobsets.yaml" "$into/"
  # Every KEDA CRD: its operator (keda.sh) watches them all.
  cp "$keda"/config/crd/bases/*.yaml "$into/"
  # Every Kueue CRD: the controller manager (kueue.sh) watches them all.
  for crd in localqueues clusterqueues cohorts workloads resourceflavors workloadpriorityclasses admissionchecks \
             provisioningrequestconfigs multikueueconfigs multikueueclusters topologies; do
    cp "$kueue/config/components/crd/bases/kueue.x-k8s.io_$crd.yaml" "$into/"
  done
  # Karpenter's own API (karpenter.sh NodePool, NodeClaim); its cloud providers'
  # node classes live in their own modules and are not needed to validate a NodePool.
  cp "$karpenter/pkg/apis/crds/karpenter.sh_nodepools.yaml" "$karpenter/pkg/apis/crds/karpenter.sh_nodeclaims.yaml" "$into/"
  # The Prometheus Operator's PodMonitor (serve --monitor renders it) and Prometheus
  # (whose podMonitorSelector serve --monitor reads); no operator runs.
  cp "$prometheus_operator/example/prometheus-operator-crd/monitoring.coreos.com_podmonitors.yaml" \
     "$prometheus_operator/example/prometheus-operator-crd/monitoring.coreos.com_prometheuses.yaml" "$into/"
}

# The Kueue controller manager from its own module at KUEUE_VERSION, and its
# webhook registrations as its manifests write them (kueue.sh points them at
# the loopback address it serves them on), into $1.
build_kueue() {
  local into=$1 module
  echo "build.sh: building the Kueue controller manager $KUEUE_VERSION (first time only, ~10 min on 2 cores)..." >&2
  (cd "$here/gomod/kueue" &&
    go build -trimpath -ldflags "-s -w -X sigs.k8s.io/kueue/pkg/version.GitVersion=$KUEUE_VERSION" \
      -o "$into/kueue" sigs.k8s.io/kueue/cmd/kueue) >&2
  module=$(cd "$here/gomod/kueue" && go list -m -f '{{.Dir}}' sigs.k8s.io/kueue)
  cp "$module/config/components/webhook/manifests.yaml" "$into/webhooks.yaml"
}

# A controller manager from its module gomod/$1 (sigs.k8s.io/$1 at version $2,
# main package $3) into $4/$1, with its webhook registrations as its
# kustomization writes them (manifests.yaml with its patches applied, so that
# the pod webhooks see only their own pods), which controllers.sh points at
# the loopback address it serves them on.
build_controller() {
  local name=$1 version=$2 main=$3 into=$4/$1 module webhooks
  echo "build.sh: building the $name controller manager $version (first time only, ~5 min on 2 cores)..." >&2
  mkdir -p "$into"
  (cd "$here/gomod/$name" &&
    go build -trimpath -ldflags "-s -w -X sigs.k8s.io/$name/pkg/version.GitVersion=$version" \
      -o "$into/$name-manager" "$main") >&2
  module=$(cd "$here/gomod/$name" && go list -m -f '{{.Dir}}' "sigs.k8s.io/$name")
  webhooks=$module/config/webhook
  [[ -d $webhooks ]] || webhooks=$module/config/components/webhook
  python3 "$here/kustomize_webhooks.py" "$webhooks" >"$into/webhooks.yaml"
}

# The JobSet and LeaderWorkerSet controller managers (JobSet's main package is
# its module's root), into $1/jobset and $1/lws.
build_controllers() {
  build_controller jobset "$JOBSET_VERSION" sigs.k8s.io/jobset "$1"
  build_controller lws "$LWS_VERSION" sigs.k8s.io/lws/cmd "$1"
}

# toxiproxy's server from its own module at TOXIPROXY_VERSION, into $1.
build_toxiproxy() {
  local into=$1
  echo "build.sh: building toxiproxy $TOXIPROXY_VERSION..." >&2
  (cd "$here/gomod/toxiproxy" &&
    go build -trimpath -ldflags "-s -w" -o "$into/toxiproxy-server" github.com/Shopify/toxiproxy/v2/cmd/server) >&2
}

# Prometheus's server from its own module at PROMETHEUS_VERSION, with only its
# Kubernetes service discovery (the others pull in every cloud's SDK), into $1.
# Its web UI's assets are not embedded: the tests use the HTTP API only.
build_prometheus() {
  local into=$1
  echo "build.sh: building Prometheus $PROMETHEUS_VERSION (first time only, a few minutes of Go)..." >&2
  (cd "$here/gomod/prometheus" &&
    go build -trimpath -tags remove_all_sd,enable_kubernetes_sd -ldflags "-s -w" -o "$into/prometheus" \
      github.com/prometheus/prometheus/cmd/prometheus) >&2
}

# The KEDA operator from its own module at KEDA_VERSION, built in a copy of the
# module with KEDA's own go.mod and go.sum (a replace directive in it would not
# apply to a module that requires KEDA), into $1. It imports every scaler, so
# this is the largest of the add-ons: ~8 min of Go on 2 cores.
build_keda() {
  local into=$1 module src
  echo "build.sh: building the KEDA operator $KEDA_VERSION (first time only, ~8 min on 2 cores)..." >&2
  module=$(cd / && GOFLAGS= go mod download -json "github.com/kedacore/keda/v2@$KEDA_VERSION" |
           sed -n 's/.*"Dir": "\(.*\)".*/\1/p')
  src=$(mktemp -d)
  cp -r "$module/." "$src"
  chmod -R u+w "$src"
  (cd "$src" && GOFLAGS=-buildvcs=false go build -trimpath \
    -ldflags "-s -w -X github.com/kedacore/keda/v2/version.Version=$KEDA_VERSION" \
    -o "$into/keda-operator" ./cmd/operator) >&2
  rm -rf "$src"
}

# Runs step $2 into $cache_root/$1/$3 unless it is there (the caller holds the lock).
cached() {
  local dir=$cache_root/$1 step=$2 sub=$3 start=$SECONDS
  [[ -f $dir/.complete ]] && return 0
  rm -rf "$dir.tmp"
  mkdir -p "$dir.tmp/$sub"
  "$step" "$dir.tmp/$sub"
  chmod -R u+w "$dir.tmp"
  rm -rf "$dir"
  mv "$dir.tmp" "$dir"
  touch "$dir/.complete"
  echo "build.sh: $step took $((SECONDS - start)) s into $dir" >&2
}

hash12() { sha256sum | cut -c1-12; }
programs_key=$({ echo "$K8S_VERSION $KWOK_VERSION $KREW_VERSION"
                 cat "$here"/gomod/{krew,kubernetes,kwok}/go.mod "$here"/gomod/{krew,kubernetes,kwok}/go.sum
                 declare -f build_programs; } | hash12)
kueue_key=$({ echo "$KUEUE_VERSION"; cat "$here"/gomod/kueue/go.mod "$here"/gomod/kueue/go.sum; declare -f build_kueue; } | hash12)
controllers_key=$({ echo "$JOBSET_VERSION $LWS_VERSION"; cat "$here"/gomod/{jobset,lws}/go.{mod,sum} "$here/kustomize_webhooks.py"
                    declare -f build_controller build_controllers; } | hash12)
toxiproxy_key=$({ echo "$TOXIPROXY_VERSION"; cat "$here"/gomod/toxiproxy/go.mod "$here"/gomod/toxiproxy/go.sum
                  declare -f build_toxiproxy; } | hash12)
prometheus_key=$({ echo "$PROMETHEUS_VERSION"; cat "$here"/gomod/prometheus/go.mod "$here"/gomod/prometheus/go.sum
                   declare -f build_prometheus; } | hash12)
keda_key=$({ echo "$KEDA_VERSION"; declare -f build_keda; } | hash12)
crds_key=$({ echo "$LWS_VERSION $JOBSET_VERSION $KEDA_VERSION $KUEUE_VERSION $KARPENTER_VERSION $PROMETHEUS_OPERATOR_VERSION"
             declare -f collect_crds; } | hash12)
programs=programs-k8s-$K8S_VERSION-$programs_key
crds=crds-$crds_key
kueue=kueue-$KUEUE_VERSION-$kueue_key
toxiproxy=toxiproxy-$TOXIPROXY_VERSION-$toxiproxy_key
controllers=controllers-$controllers_key
prometheus=prometheus-$PROMETHEUS_VERSION-$prometheus_key
keda=keda-$KEDA_VERSION-$keda_key
out=$cache_root/k8s-$K8S_VERSION-$programs_key-$crds_key-$kueue_key-$toxiproxy_key-$controllers_key-$prometheus_key-$keda_key
if [[ -f $out/.complete ]]; then
  echo "$out"
  exit 0
fi

command -v go >/dev/null || { echo "build.sh: Go is required to build the control plane (https://go.dev/dl)" >&2; exit 1; }
mkdir -p "$cache_root"
exec 9>"$cache_root/.build.lock"
flock 9   # one build at a time; a second caller waits and then finds the cache
cached "$programs" build_programs bin
cached "$crds" collect_crds crds
cached "$kueue" build_kueue kueue
cached "$toxiproxy" build_toxiproxy toxiproxy
cached "$controllers" build_controllers controllers
cached "$prometheus" build_prometheus prometheus
cached "$keda" build_keda keda
# The printed directory holds real directories (kubectl apply -f does not
# descend into a symlinked directory): hard links to the programs, copies of the CRDs.
if [[ ! -f $out/.complete ]]; then
  rm -rf "$out.tmp"
  mkdir -p "$out.tmp"
  cp -al "$cache_root/$programs/bin" "$out.tmp/bin" 2>/dev/null || cp -a "$cache_root/$programs/bin" "$out.tmp/bin"
  cp -a "$cache_root/$crds/crds" "$out.tmp/crds"
  cp -al "$cache_root/$kueue/kueue" "$out.tmp/kueue" 2>/dev/null || cp -a "$cache_root/$kueue/kueue" "$out.tmp/kueue"
  cp -al "$cache_root/$toxiproxy/toxiproxy" "$out.tmp/toxiproxy" 2>/dev/null ||
    cp -a "$cache_root/$toxiproxy/toxiproxy" "$out.tmp/toxiproxy"
  cp -al "$cache_root/$controllers/controllers" "$out.tmp/controllers" 2>/dev/null ||
    cp -a "$cache_root/$controllers/controllers" "$out.tmp/controllers"
  cp -al "$cache_root/$prometheus/prometheus" "$out.tmp/prometheus" 2>/dev/null ||
    cp -a "$cache_root/$prometheus/prometheus" "$out.tmp/prometheus"
  cp -al "$cache_root/$keda/keda" "$out.tmp/keda" 2>/dev/null || cp -a "$cache_root/$keda/keda" "$out.tmp/keda"
  rm -rf "$out"
  mv "$out.tmp" "$out"
  touch "$out/.complete"
fi
echo "$out"
