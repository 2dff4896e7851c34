#!/usr/bin/env bash
# Smoke test of the TUI in a real terminal: tmux runs `kubeplay` at 120×36,
# keys go in with send-keys, the screen comes out with capture-pane.
# Without tmux it skips, except on CI (CI=true), where it fails.
set -euo pipefail
cd "$(dirname "$0")/../.."
if ! command -v tmux >/dev/null 2>&1; then
  if [ "${CI:-}" = "true" ]; then echo "smoke: tmux is missing on CI" >&2; exit 1; fi
  echo "smoke: tmux not found, skipping the TUI smoke test"; exit 0
fi
bin=$(mktemp -d)/kubeplay
go build -o "$bin" .
session="kubeplay-smoke-$$"
sock="kubeplay-smoke-$$"
t() { tmux -L "$sock" "$@"; }
trap 't kill-server 2>/dev/null || true; rm -rf "$(dirname "$bin")"' EXIT
t new-session -d -s "$session" -x 120 -y 36 "TERM=xterm-256color $bin --seed 1 --runtime sim; echo kubeplay-exited-\$?; sleep 5"
expect() { # wait up to 5 s for text on the screen
  for _ in $(seq 50); do
    if t capture-pane -p -t "$session" | grep -qF -- "$1"; then return 0; fi
    sleep 0.1
  done
  echo "smoke: the screen never showed: $1" >&2
  t capture-pane -p -t "$session" >&2
  exit 1
}
expect "Free play"
expect "runtime: simulated"
t send-keys -t "$session" Enter
expect "nothing in flight"
t send-keys -t "$session" "run hello --image=kubeplay/demo:v1" Enter
for _ in $(seq 12); do t send-keys -t "$session" C-n; sleep 0.05; done   # ctrl+n steps one hop
expect "pod/hello created"
expect "hello"
t send-keys -t "$session" C-t C-t   # free mode: the pod starts on the clock
expect "● hello 1/1"
t send-keys -t "$session" C-g
expect "A hop is one message"
t send-keys -t "$session" Escape; sleep 0.3   # alone, or the terminal reads alt+<next key>
t send-keys -t "$session" "pqm?"   # letters are text, never controls
expect '$ kubectl pqm?'
t send-keys -t "$session" C-c C-c   # clears the line, then asks: the cluster has a pod
expect "Quit kubeplay?"
t send-keys -t "$session" y
expect "kubeplay-exited-0"   # the terminal is restored: the shell prints again
echo "smoke: ok"
