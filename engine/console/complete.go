package console

import (
	"context"
	"sort"
	"strings"

	"github.com/kubeplay/kubeplay/engine/kubectl"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// Complete is what the prompt offers for the last word of line, read
// from the command tree (Tree): the words, sub-commands and flags of the
// command the line names so far, or what its arguments are (resource
// types, the names of objects: names holds them by resource, "pods":
// [...]). word is the word completed ("" after a space).
func Complete(line string, names map[string][]string) (candidates []string, word string) {
	fields := strings.Fields(line)
	if len(fields) > 0 && !strings.HasSuffix(line, " ") {
		word, fields = fields[len(fields)-1], fields[:len(fields)-1]
	}
	tree := Tree()
	kc := subcommand(tree, "kubectl")
	cmd, args, ok := walk(tree, kc, fields)
	if !ok {
		return nil, word
	}
	var pool []string
	switch {
	case strings.HasPrefix(word, "-") && cmd == tree:
		pool = flagNames(kc)
	case strings.HasPrefix(word, "-"):
		pool = flagNames(cmd)
	case cmd == tree:
		pool = append(commandNames(tree), commandNames(kc)...)
	case cmd.HasAvailableSubCommands() && len(args) == 0:
		pool = commandNames(cmd)
	case cmd.ValidArgsFunction != nil:
		cmd.SetContext(kubectl.WithNames(context.Background(), names))
		pool, _ = cmd.ValidArgsFunction(cmd, args, word)
	case len(args) == 0:
		pool = cmd.ValidArgs
	}
	seen := map[string]bool{}
	for _, c := range pool {
		if strings.HasPrefix(c, word) && !seen[c] {
			seen[c] = true
			candidates = append(candidates, c)
		}
	}
	sort.Strings(candidates)
	return candidates, word
}

// walk follows fields down the tree: the word kubectl (or k) is
// optional, as at the prompt, where kubeplay's own words may follow it
// too; then each sub-command, until the first argument. It returns the
// command reached and its arguments so far, leaving out flags and their
// values; ok is false past "--", where the words are a container's, and
// where the word is a flag's value.
func walk(tree, kc *cobra.Command, fields []string) (cmd *cobra.Command, args []string, ok bool) {
	cmd = tree
	for i := 0; i < len(fields); i++ {
		f := fields[i]
		switch {
		case f == "--":
			return nil, nil, false
		case strings.HasPrefix(f, "-") && f != "-":
			owner := cmd
			if cmd == tree {
				owner = kc
			}
			if !strings.Contains(f, "=") && takesValue(owner, f) {
				if i++; i == len(fields) {
					return nil, nil, false
				}
			}
		case cmd == tree && (f == kc.Name() || kc.HasAlias(f)):
		case len(args) > 0:
			args = append(args, f)
		default:
			sub := subcommand(cmd, f)
			if sub == nil && cmd == tree {
				sub = subcommand(kc, f)
			}
			if sub == nil {
				if cmd == tree {
					return nil, nil, false
				}
				args = append(args, f)
				continue
			}
			cmd = sub
		}
	}
	return cmd, args, true
}

// flags are cmd's flags and those it inherits (kubectl's --namespace).
func flags(cmd *cobra.Command) []*pflag.FlagSet {
	return []*pflag.FlagSet{cmd.LocalFlags(), cmd.InheritedFlags()}
}

// flagNames are cmd's flags as typed: "--namespace" and "-n".
func flagNames(cmd *cobra.Command) []string {
	var out []string
	for _, fs := range flags(cmd) {
		fs.VisitAll(func(f *pflag.Flag) {
			if f.Hidden {
				return
			}
			out = append(out, "--"+f.Name)
			if f.Shorthand != "" {
				out = append(out, "-"+f.Shorthand)
			}
		})
	}
	return out
}

// takesValue reports whether flag (as typed, "-n" or "--namespace") is
// one of cmd's that takes the next word as its value.
func takesValue(cmd *cobra.Command, flag string) bool {
	name := strings.TrimLeft(flag, "-")
	for _, fs := range flags(cmd) {
		f := fs.Lookup(name)
		if f == nil && len(name) == 1 {
			f = fs.ShorthandLookup(name)
		}
		if f != nil {
			return f.NoOptDefVal == "" && f.Value.Type() != "bool"
		}
	}
	return false
}

// commandNames are the names of cmd's sub-commands that a learner may
// type.
func commandNames(cmd *cobra.Command) []string {
	var out []string
	for _, c := range cmd.Commands() {
		if c.IsAvailableCommand() {
			out = append(out, c.Name())
		}
	}
	return out
}
