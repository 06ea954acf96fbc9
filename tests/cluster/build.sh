#!/usr/bin/env bash
# Builds (once) the programs and CRDs of the local control plane and prints the
# directory that holds them: bin/{etcd,kube-apiserver,kube-controller-manager,
# kube-scheduler,kubectl,kwok,kubectl-krew} and crds/*.yaml. The result is cached outside the
# build tree, keyed by the pinned versions and the go.sum files, so a second call
# returns at once. Progress goes to stderr; stdout is only the directory.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
source "$here/versions.sh"

key=$(cat "$here/versions.sh" "$here"/gomod/*/go.sum "$here/build.sh" | sha256sum | cut -c1-12)
cache_root=${LLM_CLUSTER_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/kubectl-llm/cluster}
out="$cache_root/k8s-$K8S_VERSION-$key"
if [[ -f $out/.complete ]]; then
  echo "$out"
  exit 0
fi

command -v go >/dev/null || { echo "build.sh: Go is required to build the control plane (https://go.dev/dl)" >&2; exit 1; }
mkdir -p "$cache_root"
exec 9>"$cache_root/.build.lock"
flock 9   # one build at a time; a second caller waits and then finds the cache
if [[ -f $out/.complete ]]; then echo "$out"; exit 0; fi

start=$SECONDS
tmp="$out.tmp"
rm -rf "$tmp"
mkdir -p "$tmp/bin" "$tmp/crds"

minor=${K8S_VERSION#v1.}; minor=${minor%%.*}
ver=k8s.io/component-base/version
ldflags="-s -w -X $ver.gitVersion=$K8S_VERSION -X $ver.gitMajor=1 -X $ver.gitMinor=$minor \
  -X $ver.gitTreeState=clean -X $ver.buildDate=1970-01-01T00:00:00Z \
  -X k8s.io/client-go/pkg/version.gitVersion=$K8S_VERSION"
echo "build.sh: building etcd and Kubernetes $K8S_VERSION from Go modules (first time only, ~20-30 min on 2 cores)..." >&2
(cd "$here/gomod/kubernetes" &&
  go build -trimpath -ldflags "$ldflags" -o "$tmp/bin/" \
    k8s.io/kubernetes/cmd/kube-apiserver k8s.io/kubernetes/cmd/kube-controller-manager \
    k8s.io/kubernetes/cmd/kube-scheduler k8s.io/kubernetes/cmd/kubectl &&
  go build -trimpath -ldflags "-s -w" -o "$tmp/bin/etcd" go.etcd.io/etcd/server/v3) >&2
echo "build.sh: building kwok $KWOK_VERSION..." >&2
(cd "$here/gomod/kwok" &&
  go build -trimpath -ldflags "-s -w -X sigs.k8s.io/kwok/pkg/consts.Version=$KWOK_VERSION" \
    -o "$tmp/bin/kwok" sigs.k8s.io/kwok/cmd/kwok) >&2
echo "build.sh: building krew $KREW_VERSION..." >&2
(cd "$here/gomod/krew" &&
  go build -trimpath -ldflags "-s -w -X sigs.k8s.io/krew/internal/version.gitTag=$KREW_VERSION" \
    -o "$tmp/bin/kubectl-krew" sigs.k8s.io/krew/cmd/krew) >&2

# CRDs straight from each project's module at its pinned version.
module_dir() { (cd / && GOFLAGS= go mod download -json "$1" | sed -n 's/.*"Dir": "\(.*\)".*/\1/p'); }
lws=$(module_dir "sigs.k8s.io/lws@$LWS_VERSION")
jobset=$(module_dir "sigs.k8s.io/jobset@$JOBSET_VERSION")
keda=$(module_dir "github.com/kedacore/keda/v2@$KEDA_VERSION")
kueue=$(module_dir "sigs.k8s.io/kueue@$KUEUE_VERSION")
cp "$lws/config/crd/bases/leaderworkerset.x-k8s.io_leaderworkersets.yaml" "$tmp/crds/"
cp "$jobset/config/components/crd/bases/jobset.x-k8s.io_jobsets.yaml" "$tmp/crds/"
cp "$keda/config/crd/bases/keda.sh_scaledobjects.yaml" "$keda/config/crd/bases/keda.sh_triggerauthentications.yaml" "$tmp/crds/"
for crd in localqueues clusterqueues workloads resourceflavors workloadpriorityclasses; do
  cp "$kueue/config/components/crd/bases/kueue.x-k8s.io_$crd.yaml" "$tmp/crds/"
done
chmod -R u+w "$tmp"

rm -rf "$out"
mv "$tmp" "$out"
touch "$out/.complete"
echo "build.sh: built in $((SECONDS - start)) s into $out" >&2
echo "$out"
