package kubectl

import (
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"
)

// helpGroups are kubectl's command groups in its help, in its order, with
// only the commands kubeplay has.
var helpGroups = []struct {
	title    string
	commands []string
}{
	{"Basic Commands (Beginner):", []string{"create", "expose", "run", "set"}},
	{"Basic Commands (Intermediate):", []string{"explain", "get", "delete"}},
	{"Deploy Commands:", []string{"rollout", "scale"}},
	{"Cluster Management Commands:", []string{"cluster-info", "top", "cordon", "uncordon", "drain", "taint"}},
	{"Troubleshooting and Debugging Commands:", []string{"describe", "logs", "exec", "port-forward", "events"}},
	{"Advanced Commands:", []string{"apply", "patch", "wait"}},
	{"Settings Commands:", []string{"label", "annotate"}},
	{"Other Commands:", []string{"api-resources", "version"}},
}

// helpPadding is the width kubectl's help gives command names: the
// longest of all its commands, which kubeplay does not all have.
const helpPadding = 15

// installHelp makes the root command behave as kubectl's: its help in
// kubectl's layout, for `kubectl`, `kubectl help` and `--help`, and
// unknown commands worded as cobra words them for kubectl.
func (s *Session) installHelp(root *cobra.Command) {
	root.SuggestionsMinimumDistance = 2
	defaultHelp := root.HelpFunc()
	root.SetHelpFunc(func(c *cobra.Command, args []string) {
		if c != root {
			defaultHelp(c, args)
			return
		}
		writeRootHelp(s.Out, root)
	})
	root.RunE = func(c *cobra.Command, _ []string) error {
		writeRootHelp(s.Out, root)
		return nil
	}
	// With Args set, cobra leaves unknown commands to it instead of
	// returning its own error, which printError would end with a blank
	// line: cobra's message already ends with one.
	root.Args = func(c *cobra.Command, args []string) error {
		if len(args) == 0 {
			return nil
		}
		msg := fmt.Sprintf("error: unknown command %q for %q", args[0], c.CommandPath())
		if sug := c.SuggestionsFor(args[0]); len(sug) > 0 {
			msg += "\n\nDid you mean this?\n\t" + strings.Join(sug, "\n\t")
		}
		fmt.Fprintln(s.Err, msg)
		return exitError{1}
	}
}

func writeRootHelp(w io.Writer, root *cobra.Command) {
	fmt.Fprint(w, "kubectl controls the Kubernetes cluster manager.\n\n Find more information at: https://kubernetes.io/docs/reference/kubectl/\n")
	for _, g := range helpGroups {
		fmt.Fprintf(w, "\n%s\n", g.title)
		for _, name := range g.commands {
			if c, _, err := root.Find([]string{name}); err == nil && c != root {
				fmt.Fprintf(w, "  %-*s %s\n", helpPadding, c.Name(), c.Short)
			}
		}
	}
	fmt.Fprint(w, "\nUsage:\n  kubectl [flags] [options]\n\nUse \"kubectl <command> --help\" for more information about a given command.\n")
}
