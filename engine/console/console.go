// Package console is `kubeplay shell`: the cluster driven line by line
// from standard input, printing what kubectl prints. Besides kubectl
// commands (the word kubectl, or k, is optional) it knows a few words of
// its own: sleep, trace, help, exit.
package console

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/kubeplay/kubeplay/engine/backend"
	"github.com/kubeplay/kubeplay/engine/bilingual"
	"github.com/kubeplay/kubeplay/engine/guest/demoapp"
	"github.com/kubeplay/kubeplay/engine/kubectl"
	"github.com/kubeplay/kubeplay/engine/sim"

	"github.com/spf13/cobra"
	"mvdan.cc/sh/v3/shell"
)

// ThinkTime is the cluster time that passes after each command, as it
// would while a person reads the output and types the next one; without
// it a `get pods` right after `apply` would find nothing yet.
const ThinkTime = 100 * time.Millisecond

// Options configure a console.
type Options struct {
	Trace  bool // print every hop as it happens
	Strict bool // stop at the first failed command
	Lang   bilingual.Lang
	Prompt string // printed before each command when interactive
	Echo   bool   // print each command before its output, as a transcript
	// Wait, when set, is how commands let cluster time pass (kubectl's
	// waits and sleep): a front end that advances the cluster itself, like
	// the TUI stepping hop by hop, sets it. No think time passes after a
	// command then, since that front end runs the cluster between commands.
	Wait func(limit time.Duration, done func() bool) bool
	// Sleep, when set, is how `sleep` lets time pass: a front end whose
	// clock follows the wall (the TUI) makes it a fast-forward, a jump
	// the learner asked for, where kubectl's waits take their time.
	// Without it sleep waits as kubectl's waits do.
	Sleep func(d time.Duration)
	// Stopped, when set, reports whether the front end stopped the running
	// command in one of its waits (see kubectl.Session.Stopped).
	Stopped func() bool
	// ReadFile, when set, reads the files kubectl's -f names: a lesson
	// offers its manifests by name this way. Nil reads the disk.
	ReadFile func(name string) ([]byte, error)
	// Terminal is what the learner types on, when Run reads it through
	// LiveInput: `kubectl exec -it POD -- sh` borrows it (raw, when it is
	// a terminal) for as long as the session lasts.
	Terminal *os.File
	// Lend, when set, is how a front end that owns the terminal itself
	// (the TUI) lends it to `kubectl exec -it`.
	Lend kubectl.TerminalFunc
	// Namespace is kubectl's namespace when no -n is given: a real
	// cluster's context may name one; "default" when empty.
	Namespace string
}

// Console reads commands and runs them on a cluster.
type Console struct {
	c     backend.Cluster
	kc    *kubectl.Session
	out   io.Writer
	opts  Options
	trace bool
	last  int // the last command's exit status, which `exit` returns
	// words are kubeplay's own words, as cobra commands (ownWords);
	// helpOrder lists those help shows, in its order.
	words     *cobra.Command
	helpOrder []*cobra.Command
	outcome   outcome // what the own word that ran last left
}

// New returns a console on c printing to out and errOut.
func New(c backend.Cluster, out, errOut io.Writer, opts Options) *Console {
	con := &Console{c: c, out: out, opts: opts, trace: opts.Trace,
		kc: &kubectl.Session{C: c, Out: out, Err: errOut, Lang: opts.Lang, Wait: opts.Wait, Stopped: opts.Stopped, ReadFile: opts.ReadFile, Terminal: opts.Lend, Namespace: opts.Namespace}}
	con.words = con.ownWords()
	// Only on: a lesson that marks DNS queries may have turned them on.
	if opts.Trace {
		con.showDNS(true)
	}
	c.Observe(func(h sim.Hop) {
		if con.trace {
			fmt.Fprintln(out, h.Trace())
		}
	})
	return con
}

// Run reads commands from in until it ends or `exit`, and returns the
// exit status as a shell does: the last command's, or the one `exit N`
// gives; under Strict it stops at the first failed command with its code.
func (con *Console) Run(in io.Reader) int {
	if li, ok := in.(*liveInput); ok && con.opts.Terminal != nil {
		con.kc.Terminal = func(tty bool, session kubectl.ExecSession) (int, error) {
			trace := con.trace
			con.trace = false // hops printed meanwhile would land on the container's screen
			defer func() { con.trace = trace }()
			return li.lend(con.opts.Terminal, con.out, con.kc.Err, tty, session)
		}
		defer func() { con.kc.Terminal = con.opts.Lend }()
	}
	r := bufio.NewReader(in)
	for {
		if con.opts.Prompt != "" {
			fmt.Fprint(con.out, con.opts.Prompt)
		}
		line, err := r.ReadString('\n')
		if line == "" && err != nil {
			return con.last
		}
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		stdin, line, herr := ReadHereDoc(line, r, con.opts.Lang)
		if con.opts.Echo {
			fmt.Fprintln(con.out, "$ "+line)
		}
		code, quit := 1, false
		if herr != nil {
			fmt.Fprintln(con.kc.Err, "error: "+herr.Error())
			con.last = code
		} else {
			code, quit = con.Exec(line, stdin)
		}
		if quit || (code != 0 && con.opts.Strict) {
			return code
		}
	}
}

// Exec runs one command line; quit is true for `exit`, whose code is the
// last command's status, or N for `exit N`.
func (con *Console) Exec(line string, stdin io.Reader) (code int, quit bool) {
	defer func() { con.last = code }()
	args, err := shell.Fields(line, func(string) string { return "" })
	if err != nil {
		fmt.Fprintf(con.kc.Err, "error: cannot read the command: %v\n", err)
		return 1, false
	}
	if len(args) == 0 {
		return con.last, false
	}
	if con.opts.Wait == nil {
		defer con.c.RunFor(ThinkTime)
	}
	if args[0] == "kubectl" || args[0] == "k" {
		args = args[1:]
		if len(args) == 0 {
			con.help()
			return 0, false
		}
	} else if o, ok := con.runOwn(args); ok {
		return o.code, o.quit
	}
	con.kc.In = stdin
	return con.kc.Exec(args), false
}

// exitCode is what `exit [N]` leaves with: N modulo 256 as in sh, or the
// last command's status without N.
func (con *Console) exitCode(args []string) int {
	if len(args) == 0 {
		return con.last
	}
	n, err := strconv.Atoi(args[0])
	if err != nil || len(args) > 1 {
		fmt.Fprintf(con.kc.Err, con.opts.Lang.Pick("error: exit takes one number from 0 to 255, not %q\n",
			"error: exit에는 0에서 255 사이의 숫자 하나만 줄 수 있어요 (%q)\n"), strings.Join(args, " "))
		return 2
	}
	return n & 0xff
}

func (con *Console) sleep(args []string) int {
	if len(args) != 1 {
		fmt.Fprintln(con.kc.Err, "error: usage: sleep DURATION (for example sleep 30s or sleep 5m)")
		return 1
	}
	d, err := demoapp.ParseDuration(args[0])
	if err != nil || d < 0 {
		fmt.Fprintf(con.kc.Err, "error: %q is not a duration; try 30s, 5m or 1h\n", args[0])
		return 1
	}
	switch {
	case con.opts.Sleep != nil:
		con.opts.Sleep(d)
	case con.opts.Wait != nil:
		con.opts.Wait(d, func() bool { return false })
	default:
		con.c.RunFor(d)
	}
	return 0
}

const nodeUsage = "error: usage: node add [NAME] [--cpu 4] [--memory 8Gi]"

// node is `node add [NAME] [--cpu Q] [--memory Q]` (args after add, the
// flags add declares): a new node joins, as when a kubelet starts on a
// new machine.
func (con *Console) node(add *cobra.Command, args []string) int {
	flags, name, err := wordArg(args, add.Flags())
	if err != nil {
		con.printWordError(err, nodeUsage)
		return 1
	}
	cpu, memory := flags["--cpu"], flags["--memory"]
	added, err := con.c.AddNode(name, cpu, memory)
	if err != nil {
		fmt.Fprintln(con.kc.Err, "error: "+err.Error())
		return 1
	}
	fmt.Fprintf(con.out, con.opts.Lang.Pick("kubeplay: %s joined the cluster\n", "kubeplay: %s 노드가 클러스터에 합류했어요\n"), added)
	return 0
}

func (con *Console) setTrace(args []string) int {
	switch strings.Join(args, " ") {
	case "on":
		con.trace = true
	case "off":
		con.trace = false
	default:
		fmt.Fprintln(con.kc.Err, "error: usage: trace on|off")
		return 1
	}
	con.showDNS(con.trace)
	return 0
}

// showDNS makes the pods' DNS queries hops while the trace is on, on a
// cluster that can: they are many, and off by default.
func (con *Console) showDNS(on bool) {
	if d, ok := con.c.(interface{ SetDNSHops(bool) }); ok {
		d.SetDNSHops(on)
	}
}

func (con *Console) help() {
	fmt.Fprint(con.out, `kubeplay shell: type kubectl commands (the word kubectl is optional).

kubectl commands (kubectl help lists them as kubectl does):
  get, describe, apply -f, create, run, delete, scale, set image,
  rollout status|history|undo|pause|resume|restart,
  logs [-f] [-p], exec POD -- CMD (exec -it POD -- sh on Docker), port-forward,
  label, annotate, wait --for=...,
  top pods|nodes (simulated figures), events, explain TYPE.field,
  api-resources, cluster-info, version

kubeplay's own words:
`)
	writeWordsHelp(con.out, con.helpOrder)
}
