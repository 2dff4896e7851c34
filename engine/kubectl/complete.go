package kubectl

import (
	"context"
	"strings"

	"github.com/kubeplay/kubeplay/engine/apiserver"

	"github.com/spf13/cobra"
)

// Tree is kubectl's command tree as the prompt completes it: every verb,
// sub-command and flag, each command knowing what its arguments are. Its
// commands are not meant to run (they have no cluster).
func Tree() *cobra.Command {
	root := (&Session{Namespace: "default"}).root()
	installCompletion(root)
	return root
}

// namesKey carries the object names completion offers, in a context.
type namesKey struct{}

// WithNames returns ctx carrying the names of the cluster's objects by
// resource ("pods": [...]), for the completion of object names.
func WithNames(ctx context.Context, names map[string][]string) context.Context {
	return context.WithValue(ctx, namesKey{}, names)
}

// NamesIn are the names of resource's objects that ctx carries.
func NamesIn(ctx context.Context, resource string) []string {
	if ctx == nil {
		return nil
	}
	names, _ := ctx.Value(namesKey{}).(map[string][]string)
	return names[resource]
}

// argKind is what a command's arguments are, for completion.
type argKind int

const (
	typeThenNames argKind = iota // TYPE NAME... or TYPE/NAME...
	typeOnly                     // TYPE
	rolloutTarget                // deployment NAME or deployment/NAME
	podName                      // POD or TYPE/NAME
	nodeName                     // NODE
	ownName                      // the named sub-command's own objects (top pod, top node)
)

// completedArgs says, by command path, what each command's arguments
// are; commands not named here (create deployment NAME, run NAME …) take
// names that do not exist yet.
var completedArgs = map[string]argKind{
	"kubectl get": typeThenNames, "kubectl describe": typeThenNames, "kubectl delete": typeThenNames,
	"kubectl label": typeThenNames, "kubectl annotate": typeThenNames, "kubectl patch": typeThenNames,
	"kubectl expose": typeThenNames, "kubectl scale": typeThenNames, "kubectl wait": typeThenNames,
	"kubectl set image": typeThenNames, "kubectl explain": typeOnly,
	"kubectl rollout status": rolloutTarget, "kubectl rollout history": rolloutTarget, "kubectl rollout undo": rolloutTarget,
	"kubectl rollout pause": rolloutTarget, "kubectl rollout resume": rolloutTarget, "kubectl rollout restart": rolloutTarget,
	"kubectl logs": podName, "kubectl exec": podName, "kubectl port-forward": podName,
	"kubectl cordon": nodeName, "kubectl uncordon": nodeName, "kubectl drain": nodeName, "kubectl taint": nodeName,
	"kubectl top pod": ownName, "kubectl top node": ownName,
}

// installCompletion gives each command of the tree what its arguments
// complete to, as cobra's ValidArgsFunction: object names come from the
// command's context (WithNames).
func installCompletion(cmd *cobra.Command) {
	// Every kubectl command takes -h/--help, which cobra adds only when
	// it runs one.
	cmd.InitDefaultHelpFlag()
	if kind, ok := completedArgs[cmd.CommandPath()]; ok {
		cmd.ValidArgsFunction = func(c *cobra.Command, args []string, word string) ([]cobra.Completion, cobra.ShellCompDirective) {
			return completeArgs(c.Context(), kind, c.Name(), args, word), cobra.ShellCompDirectiveNoFileComp
		}
	}
	for _, c := range cmd.Commands() {
		installCompletion(c)
	}
}

// completeArgs are the candidates for the next argument of a command
// whose arguments are of kind, after args; a word typed as TYPE/…
// completes to the objects of TYPE named so.
func completeArgs(ctx context.Context, kind argKind, name string, args []string, word string) []string {
	if typ, _, slash := strings.Cut(word, "/"); slash && kind != typeOnly && kind != ownName && kind != nodeName {
		return typeSlashNames(ctx, typ)
	}
	switch kind {
	case typeOnly:
		if len(args) == 0 {
			return ResourceNames()
		}
	case typeThenNames:
		if len(args) == 0 {
			return ResourceNames()
		}
		if res, ok := apiserver.ResourceFor(args[0]); ok {
			return NamesIn(ctx, res.Name)
		}
	case rolloutTarget:
		if len(args) == 0 {
			return []string{"deployment", "deployments"}
		}
		if len(args) == 1 && !strings.Contains(args[0], "/") {
			return NamesIn(ctx, "deployments")
		}
	case podName:
		if len(args) == 0 {
			return NamesIn(ctx, "pods")
		}
	case nodeName:
		if len(args) == 0 {
			return NamesIn(ctx, "nodes")
		}
	case ownName:
		if len(args) == 0 {
			return NamesIn(ctx, name+"s")
		}
	}
	return nil
}

// typeSlashNames are TYPE/NAME for the objects of typ that ctx carries,
// TYPE as typed (svc/web, deployment/web).
func typeSlashNames(ctx context.Context, typ string) []string {
	res, ok := apiserver.ResourceFor(typ)
	if !ok {
		return nil
	}
	return prefixed(typ+"/", NamesIn(ctx, res.Name))
}

// ResourceNames are the resource types kubectl takes, plural and
// singular: "pods", "pod", ...
func ResourceNames() []string {
	var out []string
	for _, res := range apiserver.Resources() {
		out = append(out, res.Name)
		if res.Singular != res.Name {
			out = append(out, res.Singular)
		}
	}
	return out
}

func prefixed(p string, xs []string) []string {
	out := make([]string, len(xs))
	for i, x := range xs {
		out[i] = p + x
	}
	return out
}
