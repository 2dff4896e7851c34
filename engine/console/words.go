package console

import (
	"errors"
	"fmt"
	"strings"
)

// wordArgs splits the arguments of one of kubeplay's own words into the
// values of its flags (each of which takes a value, as `--cpu 4` or
// `--cpu=4`; aliases map a short name to its long one) and the other
// arguments, in order. An unknown flag or a flag without its value is an
// error that names the flags the word takes.
func wordArgs(args []string, aliases map[string]string, flags ...string) (map[string]string, []string, error) {
	known := map[string]bool{}
	for _, f := range flags {
		known[f] = true
	}
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
func wordArg(args []string, flags ...string) (map[string]string, string, error) {
	values, rest, err := wordArgs(args, nil, flags...)
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
