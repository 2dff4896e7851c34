package kubectl

import (
	"bytes"
	"strings"
	"testing"

	"github.com/kubeplay/kubeplay/engine/cluster"

	"mvdan.cc/sh/v3/shell"
)

// FuzzExec feeds arbitrary command lines to kubectl: whatever a learner
// types, it must answer with output or an error, never a panic or a hang.
func FuzzExec(f *testing.F) {
	for _, seed := range []string{
		"get pods", "get deploy,rs,pods -o wide", "get pods -o jsonpath='{.items[*].metadata.name}'",
		"describe deployment web", "delete pod x --grace-period=0 --force", "scale deployment web --replicas=-1",
		"rollout undo deployment/web --to-revision=9", "set image deployment/web nginx=nginx:1.16.1",
		"label pod x a=b --overwrite", "wait --for=condition=Ready pod/x --timeout=1s", "logs -f web",
		"exec web -- sh -c 'echo hi'", "explain pod.spec.containers.livenessProbe", "gt pods", "get --bogus",
		"create deployment web --image=nginx --replicas=2", "run web --image=nginx -- sleep 10", "top pods", "events -A",
	} {
		f.Add(seed)
	}
	c, err := cluster.New(cluster.Options{Seed: 1})
	if err != nil {
		f.Fatal(err)
	}
	var out, errOut bytes.Buffer
	s := &Session{C: c, Out: &out, Err: &errOut, ReadFile: func(string) ([]byte, error) { return nil, errNoFiles }}
	s.Exec(strings.Fields("create deployment web --image=nginx --replicas=2"))
	f.Fuzz(func(t *testing.T, line string) {
		args, err := shell.Fields(line, func(string) string { return "" })
		if err != nil {
			return
		}
		out.Reset()
		errOut.Reset()
		if code := s.Exec(args); code != 0 && errOut.Len() == 0 && out.Len() == 0 {
			t.Errorf("%q failed with exit %d and said nothing", line, code)
		}
	})
}

var errNoFiles = message("fuzzing reads no files")
