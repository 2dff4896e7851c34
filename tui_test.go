package main

import (
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kubeplay/kubeplay/engine/configdir"
)

// TestTUIServesEachClusterItStarts: main serves each cluster it starts
// for the TUI to the learner's own kubectl, in place of the one before and
// at the same address; a cluster stops being served when it stops (the
// one after it is served still), and the way out takes the kubeconfig
// away. The TUI only reads what to say.
func TestTUIServesEachClusterItStarts(t *testing.T) {
	dir := t.TempDir()
	t.Setenv(configdir.Env, dir)
	f := flags{runtime: "sim", nodes: 1, seed: 1, lang: "en", listen: "127.0.0.1:0"}
	o, stop, err := f.tui(io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	defer stop()
	if o.API == nil || o.API.Serving() || o.API.Banner("en") != "" {
		t.Fatalf("before any cluster: API %v, want one serving nothing yet", o.API)
	}
	_, stopFirst, err := o.Clusters.Fresh()
	if err != nil {
		t.Fatal(err)
	}
	banner := o.API.Banner("en")
	if !o.API.Serving() || !strings.Contains(banner, "kubeplay's API listens on https://127.0.0.1:") {
		t.Fatalf("the first cluster is not served: %q", banner)
	}
	kubeconfig := filepath.Join(dir, "kubeconfig")
	if !strings.Contains(banner, "export KUBECONFIG="+kubeconfig) {
		t.Errorf("banner %q names no kubeconfig %s", banner, kubeconfig)
	}
	_, stopSecond, err := o.Clusters.Fresh()
	if err != nil {
		t.Fatal(err)
	}
	if again := o.API.Banner("en"); again != banner {
		t.Errorf("the second cluster is served elsewhere: %q, was %q", again, banner)
	}
	stopFirst()
	if !o.API.Serving() {
		t.Error("stopping the first cluster stopped serving the second")
	}
	stopSecond()
	if o.API.Serving() {
		t.Error("a stopped cluster is still served")
	}
	stop()
	if _, err := os.Stat(kubeconfig); !os.IsNotExist(err) {
		t.Errorf("after the way out the kubeconfig is still there (%v)", err)
	}
}

// TestTUIWantsKeysItCanWaitOn: `kubeplay < file`, or with /dev/null for
// input, says in the learner's language to use kubeplay shell (Bubble Tea
// failed saying only "add reader to epoll interest list").
func TestTUIWantsKeysItCanWaitOn(t *testing.T) {
	t.Setenv(configdir.Env, t.TempDir())
	file := filepath.Join(t.TempDir(), "commands")
	if err := os.WriteFile(file, []byte("get pods\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		in   string
		args []string
		want string
	}{
		{os.DevNull, []string{"--runtime", "sim", "--listen", "off"}, "use kubeplay shell < FILE"},
		{file, []string{"--runtime", "sim", "--listen", "off"}, "use kubeplay shell < FILE"},
		{file, []string{"--runtime", "sim", "--listen", "off", "--lang", "ko"}, "kubeplay shell < FILE을 쓰세요"},
		{os.DevNull, []string{"lesson", "probes", "--runtime", "sim", "--listen", "off"}, "use kubeplay shell < FILE"},
	} {
		in, err := os.Open(tc.in)
		if err != nil {
			t.Fatal(err)
		}
		var out, errOut strings.Builder
		code := run(tc.args, in, &out, &errOut)
		in.Close()
		if code == 0 || !strings.Contains(errOut.String(), tc.want) {
			t.Errorf("%v < %s: exit %d, stderr %q; want non-zero and %q", tc.args, tc.in, code, errOut.String(), tc.want)
		}
	}
}

// TestShellFromDevNullIsNotInteractive: /dev/null is a character device but
// no terminal; `kubeplay shell < /dev/null` printed prompts nobody answers
// (and served the API on the wall clock, as for a person typing).
func TestShellFromDevNullIsNotInteractive(t *testing.T) {
	t.Setenv(configdir.Env, t.TempDir())
	in, err := os.Open(os.DevNull)
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	var out, errOut strings.Builder
	if code := run([]string{"shell", "--runtime", "sim"}, in, &out, &errOut); code != 0 {
		t.Fatalf("exit %d, stderr %q", code, errOut.String())
	}
	if strings.Contains(out.String(), "kubeplay$") || strings.Contains(errOut.String(), "KUBECONFIG") {
		t.Errorf("shell < /dev/null acted as a terminal session: stdout %q, stderr %q", out.String(), errOut.String())
	}
}
