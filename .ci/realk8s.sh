#!/usr/bin/env bash
# A real Kubernetes control plane for kubeplay's tests, all upstream code:
# kube-apiserver, kube-controller-manager and kube-scheduler built from the
# k8s.io/kubernetes Go module, etcd (Debian's etcd-server when installed, else
# built from go.etcd.io/etcd) and KWOK (fake nodes and pod lifecycles).
#
#   .ci/realk8s.sh build          build what is not cached yet (cold: ~15 min on 2 cores)
#   .ci/realk8s.sh up             start everything on loopback, write a kubeconfig
#   .ci/realk8s.sh down [--wipe]  stop exactly what `up` started (by PID); --wipe drops etcd's data
#   .ci/realk8s.sh status | env   what runs / the variables tests read
#
# Binaries are cached outside the repo, keyed by version:
#   $KUBEPLAY_REALK8S_CACHE (default ~/.cache/kubeplay-realk8s)/kubernetes-<v>/, etcd-<v>/, kwok-<v>/
# One running control plane per run folder (default $CACHE/run); tests give
# each their own folder and ports through the variables below.
# What was learned making this work: /work/shared/real-control-plane.md.
set -euo pipefail

K8S_VERSION=${K8S_VERSION:-v1.33.13}
ETCD_VERSION=${ETCD_VERSION:-v3.5.21}   # the etcd client version k8s 1.33 is built and tested against
KWOK_VERSION=${KWOK_VERSION:-v0.8.0}
CACHE=${KUBEPLAY_REALK8S_CACHE:-$HOME/.cache/kubeplay-realk8s}
RUN=${KUBEPLAY_REALK8S_RUN:-$CACHE/run}
ETCD_PORT=${KUBEPLAY_REALK8S_ETCD_PORT:-12379}
ETCD_PEER_PORT=${KUBEPLAY_REALK8S_ETCD_PEER_PORT:-$((ETCD_PORT + 1))}
API_PORT=${KUBEPLAY_REALK8S_API_PORT:-16443}
NODES=${KUBEPLAY_REALK8S_NODES:-3}
HERE=$(cd "$(dirname "$0")" && pwd)

K8S_BIN=$CACHE/kubernetes-$K8S_VERSION/bin
ETCD_BIN=$CACHE/etcd-$ETCD_VERSION/bin
KWOK_BIN=$CACHE/kwok-$KWOK_VERSION/bin
export GOFLAGS="${GOFLAGS:-} -buildvcs=false"

# The k8s.io/* modules published from kubernetes' staging folder: k8s.io/kubernetes'
# own go.mod points them at ./staging with replace directives, which a module
# depending on it does not inherit, so the wrapper module pins each one to the
# matching v0.X.Y release (that is also why `go install k8s.io/kubernetes/...@v` fails).
STAGING="api apiextensions-apiserver apimachinery apiserver cli-runtime client-go cloud-provider
cluster-bootstrap code-generator component-base component-helpers controller-manager cri-api cri-client
csi-translation-lib dynamic-resource-allocation endpointslice externaljwt kms kube-aggregator
kube-controller-manager kube-proxy kube-scheduler kubectl kubelet metrics mount-utils
pod-security-admission sample-apiserver sample-cli-plugin sample-controller"

say() { echo "realk8s: $*" >&2; }

build_kubernetes() {
  local bins=(kube-apiserver kube-controller-manager kube-scheduler) b missing=0
  for b in "${bins[@]}"; do [ -x "$K8S_BIN/$b" ] || missing=1; done
  [ $missing = 0 ] && { say "kubernetes $K8S_VERSION cached in $K8S_BIN"; return; }
  local w=$CACHE/kubernetes-$K8S_VERSION/build staging=v0.${K8S_VERSION#v1.}
  local minor=${K8S_VERSION#v1.}; minor=${minor%%.*}
  mkdir -p "$w" "$K8S_BIN"
  {
    echo "module kubeplay.local/realk8s-build"
    echo; echo "go 1.24.0"; echo; echo "godebug default=go1.24"   # as upstream's go.mod says
    echo; echo "require k8s.io/kubernetes $K8S_VERSION"; echo; echo "replace ("
    for m in $STAGING; do echo "	k8s.io/$m => k8s.io/$m $staging"; done
    echo ")"
  } > "$w/go.mod"
  printf '//go:build tools\n\npackage tools\n\nimport (\n\t_ "k8s.io/kubernetes/cmd/kube-apiserver"\n\t_ "k8s.io/kubernetes/cmd/kube-controller-manager"\n\t_ "k8s.io/kubernetes/cmd/kube-scheduler"\n)\n' > "$w/tools.go"
  # Without the version stamped in, `kubectl version` shows an empty server version.
  local ld="-s -w" p now; now=$(date -u +%Y-%m-%dT%H:%M:%SZ)
  for p in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
    ld="$ld -X $p.gitVersion=$K8S_VERSION -X $p.gitMajor=1 -X $p.gitMinor=$minor -X $p.gitTreeState=clean -X $p.buildDate=$now -X $p.gitCommit=$K8S_VERSION-from-goproxy"
  done
  say "building kubernetes $K8S_VERSION (cold: ~15 min on 2 cores)"
  local t0=$SECONDS
  (cd "$w" && go mod tidy && go build -trimpath -ldflags "$ld" -o "$K8S_BIN/" \
      k8s.io/kubernetes/cmd/kube-apiserver k8s.io/kubernetes/cmd/kube-controller-manager k8s.io/kubernetes/cmd/kube-scheduler)
  say "built kubernetes $K8S_VERSION in $((SECONDS - t0)) s"
}

build_etcd() {
  if command -v etcd >/dev/null 2>&1; then say "etcd from PATH: $(command -v etcd)"; return; fi
  [ -x "$ETCD_BIN/etcd" ] && { say "etcd $ETCD_VERSION cached in $ETCD_BIN"; return; }
  # etcd's server module also points its siblings at ../ with replace directives: same wrapper trick.
  local w=$CACHE/etcd-$ETCD_VERSION/build t0=$SECONDS
  mkdir -p "$w" "$ETCD_BIN"
  printf 'module kubeplay.local/etcd-build\n\ngo 1.23\n\nrequire go.etcd.io/etcd/server/v3 %s\n' "$ETCD_VERSION" > "$w/go.mod"
  printf '//go:build tools\n\npackage tools\n\nimport _ "go.etcd.io/etcd/server/v3"\n' > "$w/tools.go"
  say "building etcd $ETCD_VERSION"
  (cd "$w" && go mod tidy && go build -trimpath -ldflags "-s -w" -o "$ETCD_BIN/etcd" go.etcd.io/etcd/server/v3)
  say "built etcd $ETCD_VERSION in $((SECONDS - t0)) s"
}

build_kwok() {
  [ -x "$KWOK_BIN/kwok" ] && { say "kwok $KWOK_VERSION cached in $KWOK_BIN"; return; }
  mkdir -p "$KWOK_BIN"; local t0=$SECONDS
  say "building kwok $KWOK_VERSION"
  GOBIN="$KWOK_BIN" go install -trimpath \
    -ldflags "-s -w -X sigs.k8s.io/kwok/pkg/consts.Version=$KWOK_VERSION -X sigs.k8s.io/kwok/pkg/consts.BinaryName=kwok" \
    "sigs.k8s.io/kwok/cmd/kwok@$KWOK_VERSION"
  say "built kwok $KWOK_VERSION in $((SECONDS - t0)) s"
}

etcd_path() { command -v etcd 2>/dev/null || echo "$ETCD_BIN/etcd"; }

# built says whether every binary `up` needs is there.
built() {
  local b
  for b in kube-apiserver kube-controller-manager kube-scheduler; do [ -x "$K8S_BIN/$b" ] || return 1; done
  [ -x "$KWOK_BIN/kwok" ] && [ -x "$(etcd_path)" ]
}

# The tokens of the two users: admin (system:masters, what the control
# plane's own components use) and learner, who has no role at all until a
# test binds one, so RBAC's 403s are real.
ADMIN_TOKEN=kubeplay-realk8s-admin
LEARNER_TOKEN=kubeplay-realk8s-learner

api() { # METHOD PATH [JSON]: one request to the apiserver as admin
  curl -sfk -X "$1" -H "Authorization: Bearer $ADMIN_TOKEN" -H 'Content-Type: application/json' \
    ${3:+--data "$3"} "https://127.0.0.1:$API_PORT$2"
}

start() { # NAME CMD...: start one process, its PID in $RUN/NAME.pid
  local n=$1; shift
  if [ -f "$RUN/$n.pid" ] && kill -0 "$(cat "$RUN/$n.pid")" 2>/dev/null; then
    say "$n already running (pid $(cat "$RUN/$n.pid"))"; return
  fi
  "$@" > "$RUN/logs/$n.log" 2>&1 < /dev/null &
  echo $! > "$RUN/$n.pid"
}

waitfor() { # WHAT CMD...: up to 60 s
  local what=$1 i; shift
  for i in $(seq 1 240); do "$@" >/dev/null 2>&1 && return 0; sleep 0.25; done
  say "timed out waiting for $what; logs in $RUN/logs"; return 1
}

node_json() { # NAME: a Node that kwok takes (its annotation) and keeps Ready
  printf '{"apiVersion":"v1","kind":"Node","metadata":{"name":"%s","annotations":{"node.alpha.kubernetes.io/ttl":"0","kwok.x-k8s.io/node":"fake"},"labels":{"kubernetes.io/arch":"amd64","kubernetes.io/hostname":"%s","kubernetes.io/os":"linux","type":"kwok"}},"status":{"allocatable":{"cpu":"4","memory":"8Gi","pods":"110"},"capacity":{"cpu":"4","memory":"8Gi","pods":"110"},"nodeInfo":{"architecture":"amd64","kubeletVersion":"fake","kubeProxyVersion":"fake","operatingSystem":"linux"}}}' "$1" "$1"
}

up() {
  built || { say "not built yet: run $0 build (binaries go to $CACHE)"; exit 1; }
  mkdir -p "$RUN/logs" "$RUN/pki/apiserver" "$RUN/data"
  if [ ! -f "$RUN/pki/sa.key" ]; then
    openssl genrsa -out "$RUN/pki/sa.key" 2048 2>/dev/null
    openssl rsa -in "$RUN/pki/sa.key" -pubout -out "$RUN/pki/sa.pub" 2>/dev/null
    printf '%s,admin,admin,"system:masters"\n%s,learner,learner\n' "$ADMIN_TOKEN" "$LEARNER_TOKEN" > "$RUN/pki/tokens.csv"
  fi
  cat > "$RUN/kubeconfig" <<KC
apiVersion: v1
kind: Config
clusters:
- name: realk8s
  cluster: {server: "https://127.0.0.1:$API_PORT", insecure-skip-tls-verify: true}
users:
- name: admin
  user: {token: $ADMIN_TOKEN}
- name: learner
  user: {token: $LEARNER_TOKEN}
contexts:
- name: realk8s
  context: {cluster: realk8s, user: admin}
- name: realk8s-learner
  context: {cluster: realk8s, user: learner}
current-context: realk8s
KC
  # A loopback advertise address makes the "kubernetes" Endpoints invalid:
  # advertise one of the machine's own, serve on loopback only.
  local adv; adv=$(hostname -I 2>/dev/null | awk '{print $1}'); adv=${adv:-10.0.0.1}
  local t0=$SECONDS
  start etcd "$(etcd_path)" --name realk8s --data-dir "$RUN/data/etcd" \
    --listen-client-urls "http://127.0.0.1:$ETCD_PORT" --advertise-client-urls "http://127.0.0.1:$ETCD_PORT" \
    --listen-peer-urls "http://127.0.0.1:$ETCD_PEER_PORT" --initial-advertise-peer-urls "http://127.0.0.1:$ETCD_PEER_PORT" \
    --initial-cluster "realk8s=http://127.0.0.1:$ETCD_PEER_PORT" --listen-metrics-urls "" --quota-backend-bytes=8589934592
  waitfor etcd curl -sf "http://127.0.0.1:$ETCD_PORT/health"
  start kube-apiserver "$K8S_BIN/kube-apiserver" --etcd-servers="http://127.0.0.1:$ETCD_PORT" \
    --bind-address=127.0.0.1 --advertise-address="$adv" --secure-port="$API_PORT" \
    --cert-dir="$RUN/pki/apiserver" --token-auth-file="$RUN/pki/tokens.csv" \
    --authorization-mode=RBAC \
    --service-account-key-file="$RUN/pki/sa.pub" --service-account-signing-key-file="$RUN/pki/sa.key" \
    --service-account-issuer=https://kubernetes.default.svc.cluster.local \
    --service-cluster-ip-range=10.96.0.0/16 --allow-privileged=true
  waitfor kube-apiserver api GET /readyz
  # --secure-port=0: no health port, so two runs (or another helper's) never collide.
  start kube-controller-manager "$K8S_BIN/kube-controller-manager" --kubeconfig="$RUN/kubeconfig" \
    --secure-port=0 --leader-elect=false --service-account-private-key-file="$RUN/pki/sa.key" \
    --root-ca-file="$RUN/pki/apiserver/apiserver.crt" --cluster-name=realk8s --controllers='*' \
    ${KUBEPLAY_REALK8S_KCM_FLAGS:-}
  start kube-scheduler "$K8S_BIN/kube-scheduler" --kubeconfig="$RUN/kubeconfig" --secure-port=0 --leader-elect=false
  start kwok "$KWOK_BIN/kwok" --kubeconfig="$RUN/kubeconfig" \
    --config="$HERE/realk8s/kwok-stages-${KUBEPLAY_REALK8S_STAGES:-fast}.yaml" --manage-all-nodes=true \
    --cidr=10.244.0.1/16 --node-ip=10.0.0.1 --node-lease-duration-seconds=40 --v=WARN
  waitfor "the default ServiceAccount" api GET /api/v1/namespaces/default/serviceaccounts/default
  local i
  for i in $(seq 1 "$NODES"); do api POST /api/v1/nodes "$(node_json "node-$i")" >/dev/null; done
  for i in $(seq 1 "$NODES"); do
    waitfor "node-$i Ready" sh -c "curl -sfk -H 'Authorization: Bearer $ADMIN_TOKEN' https://127.0.0.1:$API_PORT/api/v1/nodes/node-$i | grep -q '\"type\": \"Ready\",' "
  done
  say "up in $((SECONDS - t0)) s: KUBECONFIG=$RUN/kubeconfig"
}

down() {
  local n p i
  for n in kwok kube-scheduler kube-controller-manager kube-apiserver etcd; do
    [ -f "$RUN/$n.pid" ] || continue
    p=$(cat "$RUN/$n.pid")
    if kill -0 "$p" 2>/dev/null; then
      kill "$p"
      for i in $(seq 1 40); do kill -0 "$p" 2>/dev/null || break; sleep 0.25; done
      kill -0 "$p" 2>/dev/null && kill -9 "$p"
      say "stopped $n ($p)"
    fi
    rm -f "$RUN/$n.pid"
  done
  if [ "${1:-}" = "--wipe" ]; then rm -rf "$RUN/data"; fi
  return 0
}

status() {
  local n
  for n in etcd kube-apiserver kube-controller-manager kube-scheduler kwok; do
    if [ -f "$RUN/$n.pid" ] && kill -0 "$(cat "$RUN/$n.pid")" 2>/dev/null; then echo "$n running (pid $(cat "$RUN/$n.pid"))"
    else echo "$n stopped"; fi
  done
}

case "${1:-}" in
  build) build_kubernetes; build_etcd; build_kwok ;;
  built) built ;;
  up) up ;;
  down) shift; down "$@" ;;
  status) status ;;
  env) echo "KUBECONFIG=$RUN/kubeconfig"; echo "KUBEPLAY_REALK8S_RUN=$RUN"; echo "KUBEPLAY_REALK8S_CACHE=$CACHE"
       echo "K8S_VERSION=$K8S_VERSION"; echo "ETCD_VERSION=$ETCD_VERSION"; echo "KWOK_VERSION=$KWOK_VERSION" ;;
  *) echo "usage: $0 build|built|up|down [--wipe]|status|env" >&2; exit 2 ;;
esac
