package prompt

import (
	"sort"
	"strings"
)

// verbs are what the shell accepts first: kubectl's verbs and kubeplay's
// own words.
var verbs = []string{"annotate", "api-resources", "apply", "cluster-info", "create", "delete", "describe",
	"edit", "events", "exec", "explain", "get", "help", "label", "logs", "node", "rollout", "run", "scale",
	"set", "sleep", "top", "trace", "version", "wait"}

// kinds are the resource names completed after a verb that takes one.
var kinds = []string{"configmaps", "deployments", "events", "namespaces", "nodes", "pods", "replicasets",
	"secrets", "services", "deployment", "pod", "replicaset", "service", "configmap", "namespace"}

// sub are the second words of verbs that have sub-commands.
var sub = map[string][]string{
	"rollout": {"history", "pause", "restart", "resume", "status", "undo"},
	"set":     {"image"},
	"create":  {"configmap", "deployment", "namespace", "secret", "service"},
	"trace":   {"on", "off"},
	"node":    {"add"},
	"top":     {"nodes", "pods"},
}

// flags are completed after a '-'.
var flags = []string{"--all-namespaces", "--filename", "--for", "--image", "--labels", "--namespace", "--output",
	"--port", "--replicas", "--selector", "--watch", "-A", "-f", "-l", "-n", "-o", "-w", "--to-revision", "--grace-period"}

// wantsName are the verbs whose word after the kind is an object's name.
var wantsName = map[string]bool{"get": true, "describe": true, "delete": true, "scale": true, "label": true,
	"annotate": true, "logs": true, "exec": true, "edit": true}

// Candidates are the completions of the last word of line, and that word.
// names holds object names by resource ("pods": [...]).
func Candidates(line string, names map[string][]string) ([]string, string) {
	fields := strings.Fields(line)
	word := ""
	if len(fields) > 0 && !strings.HasSuffix(line, " ") {
		word, fields = fields[len(fields)-1], fields[:len(fields)-1]
	}
	if len(fields) > 0 && (fields[0] == "kubectl" || fields[0] == "k") {
		fields = fields[1:]
	}
	var pool []string
	switch {
	case strings.HasPrefix(word, "-"):
		pool = flags
	case len(fields) == 0:
		pool = verbs
	case len(fields) == 1 && sub[fields[0]] != nil:
		pool = sub[fields[0]]
	case len(fields) == 1 && (fields[0] == "logs" || fields[0] == "exec"):
		pool = names["pods"]
	case len(fields) == 1:
		pool = kinds
	case len(fields) == 2 && wantsName[fields[0]]:
		pool = names[plural(fields[1])]
	case len(fields) >= 2 && (fields[0] == "rollout" || fields[0] == "set"):
		pool = append(append([]string{}, kinds...), prefixed("deployment/", names["deployments"])...)
	}
	var out []string
	for _, c := range pool {
		if strings.HasPrefix(c, word) {
			out = append(out, c)
		}
	}
	sort.Strings(out)
	return out, word
}

func prefixed(p string, xs []string) []string {
	out := make([]string, len(xs))
	for i, x := range xs {
		out[i] = p + x
	}
	return out
}

// plural is the resource name of a kind as typed: "pod", "po", "deploy".
func plural(kind string) string {
	switch kind {
	case "po", "pod":
		return "pods"
	case "deploy", "deployment":
		return "deployments"
	case "rs", "replicaset":
		return "replicasets"
	case "no", "node":
		return "nodes"
	case "svc", "service":
		return "services"
	}
	return kind
}
