package console

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"

	"github.com/kubeplay/kubeplay/engine/kubectl"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// The prompt's words are one cobra tree: kubeplay's own words (sleep,
// trace, node, fault, curl, load, help, exit) beside kubectl's tree. The
// tree is what runs a word, what `help` lists and what completion offers.
// Own words parse their arguments themselves (DisableFlagParsing), with
// the flags their command declares, so that their messages stay
// kubeplay's; kubectl's commands run in kubectl's own root, which words
// its errors as kubectl does.

// ownWords is the tree of kubeplay's own words, run on con: each word's
// RunE leaves its exit status (and whether it ends the session) in
// con.outcome.
func (con *Console) ownWords() *cobra.Command {
	root := &cobra.Command{Use: "kubeplay", SilenceErrors: true, SilenceUsage: true}
	word := func(c *cobra.Command, run func(c *cobra.Command, args []string) int) *cobra.Command {
		c.DisableFlagParsing = true
		c.Flags().SortFlags = false
		c.RunE = func(c *cobra.Command, args []string) error {
			con.outcome = outcome{code: run(c, args)}
			return nil
		}
		return c
	}
	// plain is a word's run that needs no more than its arguments.
	plain := func(run func(args []string) int) func(*cobra.Command, []string) int {
		return func(_ *cobra.Command, args []string) int { return run(args) }
	}
	exit := word(&cobra.Command{Use: "exit [N]", Aliases: []string{"quit"}, Example: "exit [N]",
		Short: "leave the shell (status: the last command's, or N)"}, plain(con.exitCode))
	exit.RunE = func(_ *cobra.Command, args []string) error {
		con.outcome = outcome{code: con.exitCode(args), quit: true}
		return nil
	}
	sleep := word(&cobra.Command{Use: "sleep DURATION", Example: "sleep 30s",
		Short: "let cluster time pass (virtual: returns at once)"}, plain(con.sleep))
	trace := word(&cobra.Command{Use: "trace on|off", Example: "trace on|off", ValidArgs: []string{"on", "off"},
		Short: "print every hop between components"}, plain(con.setTrace))

	node := word(&cobra.Command{Use: "node add"}, func(*cobra.Command, []string) int {
		fmt.Fprintln(con.kc.Err, nodeUsage)
		return 1
	})
	nodeAdd := word(&cobra.Command{Use: "add [NAME] [--cpu 4] [--memory 8Gi]", Example: "node add [NAME] [--cpu 4] [--memory 8Gi]",
		Short: "a new node joins the cluster"}, con.node)
	nodeAdd.Flags().String("cpu", "", "the node's CPU capacity")
	nodeAdd.Flags().String("memory", "", "the node's memory capacity")
	node.AddCommand(nodeAdd)

	fault := word(&cobra.Command{Use: "fault SUBCOMMAND"}, func(*cobra.Command, []string) int { return con.faultUsage() })
	killContainer := word(&cobra.Command{Use: "kill-container POD [-c CONTAINER] [-n NAMESPACE]",
		Example: "fault kill-container POD [-c CONTAINER]", ValidArgsFunction: completeNames("pods", ""),
		Short: "kill a container at once (SIGKILL, exit code 137; for\nreal on Docker); the kubelet restarts it"}, con.faultWith(con.killContainer))
	killContainer.Flags().StringP("container", "c", "", "the container to kill")
	killContainer.Flags().StringP("namespace", "n", "", "the pod's namespace")
	killSandbox := word(&cobra.Command{Use: "kill-sandbox POD [-n NAMESPACE]", ValidArgsFunction: completeNames("pods", "")},
		con.faultWith(con.killSandbox))
	killSandbox.Flags().StringP("namespace", "n", "", "the pod's namespace")
	stopNode := word(&cobra.Command{Use: "stop-node NODE", Example: "fault stop-node NODE", ValidArgsFunction: completeNames("nodes", ""),
		Short: "stop a node's kubelet: NotReady after 50s, its\ncontainers keep running"}, con.faultWith(con.kubeletFault(false)))
	startNode := word(&cobra.Command{Use: "start-node NODE", Example: "fault start-node NODE", ValidArgsFunction: completeNames("nodes", ""),
		Short: "start the kubelet again; it syncs the node's pods"}, con.faultWith(con.kubeletFault(true)))
	fault.AddCommand(killContainer, killSandbox, stopNode, startNode)

	curl := word(&cobra.Command{Use: "curl svc/NAME[:PORT][/path]", Example: "curl svc/NAME[:PORT][/path]", ValidArgsFunction: completeNames("services", "svc/"),
		Short: "one request through kube-proxy: the body, and the pod\nthat answered (also curl http://127.0.0.1:NODEPORT/)"}, plain(con.curl))
	curl.Flags().BoolP("silent", "s", false, "accepted, as curl takes it")
	curl.Flags().BoolP("show-error", "S", false, "accepted, as curl takes it")
	load := word(&cobra.Command{Use: "load svc/NAME[:PORT][/path] --rps N --for 30s", Example: "load svc/NAME --rps 20 --for 30s", ValidArgsFunction: completeNames("services", "svc/"),
		Short: "steady traffic through kube-proxy (at most 200/s for\n5m): requests, errors, p50/p99 and answers per pod"}, con.load)
	load.Flags().String("rps", "", "requests a second")
	load.Flags().String("for", "", "how long, in cluster time")

	help := word(&cobra.Command{Use: "help", Aliases: []string{"?"}, Example: "help", Short: "this text"}, func(*cobra.Command, []string) int {
		con.help()
		return 0
	})
	root.AddCommand(sleep, trace, node, fault, curl, load, help, exit)
	// help lists the words in the order a learner meets them, not
	// cobra's alphabetical one.
	con.helpOrder = []*cobra.Command{sleep, trace, nodeAdd, killContainer, stopNode, startNode, curl, load, help, exit}
	return root
}

// outcome is what an own word left: its exit status, and whether it
// ends the session (exit).
type outcome struct {
	code int
	quit bool
}

// completeNames completes an argument to the names of resource's objects
// (from the context, kubectl.WithNames), each after prefix.
func completeNames(resource, prefix string) cobra.CompletionFunc {
	return func(c *cobra.Command, args []string, _ string) ([]cobra.Completion, cobra.ShellCompDirective) {
		if len(args) > 0 {
			return nil, cobra.ShellCompDirectiveNoFileComp
		}
		var out []string
		for _, n := range kubectl.NamesIn(c.Context(), resource) {
			out = append(out, prefix+n)
		}
		return out, cobra.ShellCompDirectiveNoFileComp
	}
}

// runOwn runs args if they start with one of kubeplay's own words,
// descending to the deepest sub-command they name.
func (con *Console) runOwn(args []string) (outcome, bool) {
	cmd := subcommand(con.words, args[0])
	if cmd == nil {
		return outcome{}, false
	}
	args = args[1:]
	for len(args) > 0 {
		sub := subcommand(cmd, args[0])
		if sub == nil {
			break
		}
		cmd, args = sub, args[1:]
	}
	con.outcome = outcome{}
	if err := cmd.RunE(cmd, args); err != nil {
		fmt.Fprintln(con.kc.Err, "error: "+err.Error())
		return outcome{code: 1}, true
	}
	return con.outcome, true
}

// subcommand is cmd's sub-command named (or aliased) name, or nil.
func subcommand(cmd *cobra.Command, name string) *cobra.Command {
	for _, c := range cmd.Commands() {
		if c.Name() == name || c.HasAlias(name) {
			return c
		}
	}
	return nil
}

// Tree is the prompt's command tree: kubeplay's own words and, under
// "kubectl" (or k), kubectl's. Its commands are for reading (help,
// completion), not for running.
func Tree() *cobra.Command {
	root := (&Console{}).ownWords()
	kc := kubectl.Tree()
	kc.Aliases = []string{"k"}
	root.AddCommand(kc)
	return root
}

// ownWordNames are the names and aliases of kubeplay's own words, read
// from the tree once.
var ownWordNames = sync.OnceValue(func() map[string]bool {
	names := map[string]bool{}
	for _, c := range (&Console{}).ownWords().Commands() {
		names[c.Name()] = true
		for _, a := range c.Aliases {
			names[a] = true
		}
	}
	return names
})

// OwnWord reports whether word starts one of kubeplay's own shell
// commands rather than a kubectl command: front ends show the former
// without "kubectl " in front.
func OwnWord(word string) bool { return ownWordNames()[word] }

// helpColumn is where the descriptions of the own words start in `help`.
const helpColumn = 17

// portForwardHelp is kubectl's port-forward in the list of kubeplay's
// words, since kubeplay's runs in the background.
const portForwardHelp = "  kubectl port-forward svc/NAME 8080:80\n" +
	"                   127.0.0.1:8080 to a pod, in the background until\n" +
	"                   kubectl port-forward stop (or the end of the session)\n"

// writeWordsHelp lists kubeplay's own words as `help` shows them: each
// command's example, then what it does (its Short).
func writeWordsHelp(w io.Writer, words []*cobra.Command) {
	for _, c := range words {
		if c.Name() == "help" {
			fmt.Fprint(w, portForwardHelp)
		}
		lines := strings.Split(c.Short, "\n")
		if len(c.Example) < helpColumn {
			fmt.Fprintf(w, "  %-*s %s\n", helpColumn-1, c.Example, lines[0])
		} else {
			fmt.Fprintf(w, "  %s\n%*s%s\n", c.Example, helpColumn+2, "", lines[0])
		}
		for _, l := range lines[1:] {
			fmt.Fprintf(w, "%*s%s\n", helpColumn+2, "", l)
		}
	}
}

// wordArgs splits the arguments of one of kubeplay's own words into the
// values of the flags its command declares (each of which takes a value,
// as `--cpu 4` or `--cpu=4`, or `-c x` for one with a shorthand) and the
// other arguments, in order. An unknown flag or a flag without its value
// is an error that names the flags the word takes.
func wordArgs(args []string, fs *pflag.FlagSet) (map[string]string, []string, error) {
	known, aliases := map[string]bool{}, map[string]string{}
	var flags []string
	fs.VisitAll(func(f *pflag.Flag) {
		known["--"+f.Name] = true
		flags = append(flags, "--"+f.Name)
		if f.Shorthand != "" {
			aliases["-"+f.Shorthand] = "--" + f.Name
		}
	})
	values := map[string]string{}
	var rest []string
	for ; len(args) > 0; args = args[1:] {
		flag, value, hasValue := strings.Cut(args[0], "=")
		if long, ok := aliases[flag]; ok {
			flag = long
		}
		switch {
		case known[flag]:
			if !hasValue {
				if len(args) < 2 {
					return nil, nil, fmt.Errorf("%s needs a value", flag)
				}
				value, args = args[1], args[1:]
			}
			values[flag] = value
		case strings.HasPrefix(flag, "-") && flag != "-":
			return nil, nil, fmt.Errorf("unknown flag %s; this takes %s", flag, strings.Join(flags, ", "))
		default:
			rest = append(rest, args[0])
		}
	}
	return values, rest, nil
}

// errUsage says a word got more arguments than it takes: its caller
// prints the word's usage.
var errUsage = errors.New("usage")

// wordArg is wordArgs for a word that takes at most one argument besides
// its flags; it returns that argument, or "".
func wordArg(args []string, fs *pflag.FlagSet) (map[string]string, string, error) {
	values, rest, err := wordArgs(args, fs)
	switch {
	case err != nil:
		return nil, "", err
	case len(rest) > 1:
		return nil, "", errUsage
	case len(rest) == 1:
		return values, rest[0], nil
	}
	return values, "", nil
}

// printWordError prints a word's argument error: its usage, or what was
// wrong.
func (con *Console) printWordError(err error, usage string) {
	if errors.Is(err, errUsage) {
		fmt.Fprintln(con.kc.Err, usage)
		return
	}
	fmt.Fprintln(con.kc.Err, "error: "+err.Error())
}
