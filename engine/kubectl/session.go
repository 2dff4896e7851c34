// Package kubectl is kubeplay's built-in kubectl: the same verbs, flags,
// output and errors as the real one, run against a kubeplay cluster. Every
// request it makes travels as a hop from "kubectl" to the apiserver.
package kubectl

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/kubeplay/kubeplay/engine/admission"
	"github.com/kubeplay/kubeplay/engine/apiserver"
	"github.com/kubeplay/kubeplay/engine/backend"
	"github.com/kubeplay/kubeplay/engine/bilingual"
	"github.com/kubeplay/kubeplay/engine/manifest"
	kruntime "github.com/kubeplay/kubeplay/engine/runtime"
	"github.com/kubeplay/kubeplay/engine/sim"

	"github.com/spf13/cobra"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
)

// Name is kubectl's component name in hops.
const Name = sim.Component(sim.KindKubectl)

// Session is one learner's kubectl: its cluster, current namespace and
// where it prints.
type Session struct {
	C         backend.Cluster
	Out, Err  io.Writer
	In        io.Reader // stdin, for `apply -f -`
	Namespace string
	// Lang selects the language of kubeplay's own hints;
	// kubectl's messages stay as kubectl prints them.
	Lang bilingual.Lang
	// ReadFile reads manifests named with -f; a file system in tests.
	ReadFile func(name string) ([]byte, error)
	// ReadDir lists a folder given to -f.
	ReadDir func(name string) ([]string, error)
	// Wait, when set, is how a command waits for the cluster: it must run
	// the cluster until done reports true or limit of cluster time has
	// passed. The TUI sets it so that a waiting command advances one hop per
	// key press; by default the command runs the kernel itself.
	Wait func(limit time.Duration, done func() bool) bool
	// Stopped, when set, reports whether the front end stopped the
	// running command (the learner's ^C) in one of its waits: kubectl
	// stopped so prints nothing, where a request that found no answer in
	// time is an error.
	Stopped func() bool
	// WatchFor is how long `get -w`, `logs -f` and the like follow the
	// cluster, in cluster time; DefaultWatchFor when zero.
	WatchFor time.Duration
	// Terminal, when set, lends the front end's terminal to an
	// interactive exec (`exec -it POD -- sh`): it calls session with the
	// terminal's streams (raw when tty) while the cluster runs on, and
	// returns what session returned once it ends.
	Terminal TerminalFunc

	// warned holds the apiserver's warnings this command has printed:
	// kubectl prints each once per command, however many requests it sent.
	warned map[string]bool
}

// TerminalFunc lends a front end's terminal to session: see
// Session.Terminal.
type TerminalFunc func(tty bool, session ExecSession) (int, error)

// ExecSession is a command run with a terminal's streams; it ends early
// when ctx is done (the front end is told to quit).
type ExecSession func(ctx context.Context, streams kruntime.ExecStreams) (int, error)

// exitError carries a command's exit code once its message is printed.
type exitError struct{ code int }

func (e exitError) Error() string { return fmt.Sprintf("exit status %d", e.code) }

// Exec runs one kubectl command line (without the word kubectl) and
// returns its exit code.
func (s *Session) Exec(args []string) int {
	if s.Namespace == "" {
		s.Namespace = "default"
	}
	// -n is for this command only: kubectl takes the namespace from the
	// kubeconfig's context every time, never from the last command's -n.
	defer func(ns string) { s.Namespace = ns }(s.Namespace)
	s.warned = nil
	root := s.root()
	root.SetArgs(args)
	root.SetOut(s.Out)
	root.SetErr(s.Err)
	err := root.Execute()
	if err == nil {
		return 0
	}
	if errors.Is(err, errStopped) {
		return stoppedStatus
	}
	var ee exitError
	if errors.As(err, &ee) {
		return ee.code
	}
	s.printError(err)
	return 1
}

func (s *Session) root() *cobra.Command {
	root := &cobra.Command{
		Use:           "kubectl",
		Short:         "kubectl controls the kubeplay cluster",
		SilenceErrors: true,
		SilenceUsage:  true,
	}
	root.PersistentFlags().StringVarP(&s.Namespace, "namespace", "n", s.Namespace, "If present, the namespace scope for this CLI request")
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error {
		return errorf("%v\nSee '%s --help' for usage.", err, c.CommandPath())
	})
	root.AddCommand(s.getCmd(), s.describeCmd(), s.applyCmd(), s.createCmd(), s.deleteCmd(),
		s.rolloutCmd(), s.scaleCmd(), s.autoscaleCmd(), s.setCmd(), s.patchCmd(), s.logsCmd(), s.execCmd(), s.portForwardCmd(), s.labelCmd(), s.annotateCmd(), s.waitCmd(), s.topCmd(), s.eventsCmd(),
		s.runCmd(), s.exposeCmd(), s.explainCmd(), s.versionCmd(), s.apiResourcesCmd(), s.clusterInfoCmd())
	root.AddCommand(s.nodeCommands()...)
	for _, c := range root.Commands() {
		c.Flags().SortFlags = false
	}
	root.CompletionOptions.DisableDefaultCmd = true
	s.installHelp(root)
	return root
}

// printError prints an error as kubectl does: server errors with their
// reason, validation errors as the apiserver words them, the rest with
// "error: ".
func (s *Session) printError(err error) {
	// Several errors (errors.Join) print one after the other, as kubectl's
	// MultipleErrors prints an aggregate: one line, and hint, each.
	if joined, ok := err.(interface{ Unwrap() []error }); ok {
		for _, e := range joined.Unwrap() {
			s.printError(e)
		}
		return
	}
	var mErr *manifest.Error
	var se *apierrors.StatusError
	switch {
	case errors.As(err, &mErr):
		fmt.Fprintln(s.Err, mErr.Message)
		s.hint(mErr.Hint)
	case errors.As(err, &se):
		fmt.Fprintln(s.Err, statusMessage(se))
		if h, ok := admission.HintFor(err); ok {
			s.hint(h)
		}
	default:
		msg := err.Error()
		if !strings.HasPrefix(msg, "error: ") {
			msg = "error: " + msg
		}
		fmt.Fprintln(s.Err, msg)
		if h, ok := admission.HintFor(err); ok {
			s.hint(h)
		}
	}
}

// statusMessage is kubectl's rendering of an API error.
func statusMessage(se *apierrors.StatusError) string {
	if se.ErrStatus.Reason == "Invalid" {
		return admission.KubectlMessage(se)
	}
	if se.ErrStatus.Reason == "" {
		// An error the apiserver did not classify (etcd's, say).
		return "Error from server: " + se.ErrStatus.Message
	}
	return fmt.Sprintf("Error from server (%s): %s", se.ErrStatus.Reason, se.ErrStatus.Message)
}

// hint prints kubeplay's own advice under an error, in the session's
// language.
func (s *Session) hint(h manifest.Hint) {
	if line := manifest.HintLine(h, s.Lang); line != "" {
		fmt.Fprintln(s.Err, line)
	}
}

// call sends a request from kubectl to the apiserver and runs the cluster
// until it is answered.
func (s *Session) call(req apiserver.Request) (runtime.Object, error) {
	var out runtime.Object
	var err error
	done := false
	req.Done = func(o runtime.Object, e error) { out, err, done = o, e, true }
	if req.Resource != nil && req.Resource.Deprecated != "" {
		s.warnOnce(req.Resource.Deprecated)
	}
	s.C.Submit(Name, req)
	s.runUntil(time.Minute, func() bool { return done })
	if !done {
		if s.Stopped != nil && s.Stopped() {
			return nil, errStopped
		}
		return nil, fmt.Errorf("the apiserver did not answer")
	}
	return out, err
}

// warnOnce prints an apiserver warning as kubectl does, once per command.
func (s *Session) warnOnce(w string) {
	if s.warned[w] {
		return
	}
	if s.warned == nil {
		s.warned = map[string]bool{}
	}
	s.warned[w] = true
	fmt.Fprintln(s.Err, "Warning: "+w)
}

// errStopped ends a command the learner stopped while it waited for the
// apiserver; stoppedStatus is its exit status, a shell's for SIGINT.
var errStopped = errors.New("stopped")

const stoppedStatus = 130

// runUntil lets the cluster run until done or limit: see Session.Wait.
func (s *Session) runUntil(limit time.Duration, done func() bool) bool {
	if s.Wait != nil {
		return s.Wait(limit, done)
	}
	return s.C.Wait(limit, done)
}

// runFor lets limit of cluster time pass.
func (s *Session) runFor(limit time.Duration) {
	s.runUntil(limit, func() bool { return false })
}

// list reads every object of a resource in ns ("" for all namespaces),
// as a hop.
func (s *Session) list(res *apiserver.Resource, ns string) ([]runtime.Object, error) {
	if _, err := s.call(apiserver.Request{Verb: sim.VerbList, Resource: res, Namespace: ns}); err != nil {
		return nil, err
	}
	return s.C.List(res, ns), nil
}

// get reads one object, as a hop.
func (s *Session) get(res *apiserver.Resource, ns, name string) (runtime.Object, error) {
	if !res.Namespaced {
		ns = ""
	}
	if _, err := s.call(apiserver.Request{Verb: sim.VerbGet, Resource: res, Namespace: ns, Name: name}); err != nil {
		return nil, err
	}
	return s.C.Get(res, ns, name)
}

// resource finds a resource type as kubectl names it.
func resource(name string) (*apiserver.Resource, error) {
	res, _, err := resourceVersion(name)
	return res, err
}

// resourceVersion finds a resource type as kubectl names it, which may
// say its version (RESOURCE.VERSION.GROUP: deployments.v1.apps,
// horizontalpodautoscalers.v1.autoscaling). view turns a stored object
// into the version named when that is an older one the apiserver serves
// besides the stored one (autoscaling/v1 beside v2); it is nil otherwise.
// As kubectl, it keeps the version only for the resource's name (plural
// or singular): a short name is expanded to its group and resource alone
// (cli-runtime's shortcutExpander), so hpa.v1.autoscaling reads in the
// preferred version, autoscaling/v2.
func resourceVersion(name string) (res *apiserver.Resource, view func(runtime.Object) runtime.Object, err error) {
	if res, ok := apiserver.ResourceFor(name); ok {
		return res, nil, nil
	}
	if typ, rest, ok := strings.Cut(name, "."); ok {
		if version, group, ok := strings.Cut(rest, "."); ok {
			if res, ok := apiserver.ResourceFor(typ + "." + group); ok && res.Group == group {
				typ = strings.ToLower(typ)
				if version == res.Version || (typ != res.Name && typ != res.Singular) {
					return res, nil, nil
				}
				if view, ok := manifest.ViewIn(schema.GroupVersionKind{Group: group, Version: version, Kind: res.Kind}); ok {
					return res, view, nil
				}
			}
		}
	}
	// kubectl names only the resource part (cli-runtime's mappingFor:
	// hpa.v2beta2.autoscaling is resource hpa, group v2beta2.autoscaling).
	typ, _, _ := strings.Cut(name, ".")
	return nil, nil, fmt.Errorf("the server doesn't have a resource type %q", typ)
}

// target is one object a command names.
type target struct {
	res  *apiserver.Resource
	name string
}

// parseTargets reads kubectl's two ways of naming objects: "TYPE NAME..."
// and "TYPE/NAME ...".
func parseTargets(args []string) ([]target, error) {
	if len(args) == 0 {
		return nil, fmt.Errorf("you must specify the type of resource to get")
	}
	if strings.Contains(args[0], "/") {
		var out []target
		for _, a := range args {
			typ, name, ok := strings.Cut(a, "/")
			if !ok {
				return nil, fmt.Errorf("there is no need to specify a resource type as a separate argument when passing arguments in resource/name form (e.g. 'kubectl get resource/<resource_name>' instead of 'kubectl get resource resource/<resource_name>'")
			}
			res, err := resource(typ)
			if err != nil {
				return nil, err
			}
			out = append(out, target{res, name})
		}
		return out, nil
	}
	res, err := resource(args[0])
	if err != nil {
		return nil, err
	}
	var out []target
	for _, name := range args[1:] {
		if strings.Contains(name, "/") {
			return nil, fmt.Errorf("there is no need to specify a resource type as a separate argument when passing arguments in resource/name form (e.g. 'kubectl get resource/<resource_name>' instead of 'kubectl get resource resource/<resource_name>'")
		}
		out = append(out, target{res, name})
	}
	return out, nil
}

// message is an error whose text is kubectl's own wording, capitals and
// full stops included, printed after "error: " as kubectl does.
type message string

func (m message) Error() string { return string(m) }

// errorf words an error exactly as kubectl does.
func errorf(format string, a ...any) error { return message(fmt.Sprintf(format, a...)) }
