package main

import (
	"bytes"
	"strings"
	"testing"
)

func runMain(t *testing.T, stdin string, args ...string) (string, string, int) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := run(args, strings.NewReader(stdin), &out, &errOut)
	return out.String(), errOut.String(), code
}

func TestShellHelpDescribesItsFlags(t *testing.T) {
	out, _, code := runMain(t, "", "shell", "--help")
	if code != 0 {
		t.Fatalf("exit %d", code)
	}
	for _, want := range []string{"--seed", "--nodes", "--trace", "--strict", "--runtime", "--lang", "sleep DURATION"} {
		if !strings.Contains(out, want) {
			t.Errorf("shell --help does not mention %s:\n%s", want, out)
		}
	}
}

// TestFrontEndsShareOneFlagSet: `kubeplay`, `kubeplay shell` and
// `kubeplay lesson` take the same cluster flags (the TUI lacked
// --node-cpu and --node-memory), and the lesson's TUI the TUI's own.
func TestFrontEndsShareOneFlagSet(t *testing.T) {
	cluster := []string{"--runtime", "--nodes", "--seed", "--node-cpu", "--node-memory", "--lang"}
	api := []string{"--listen", "--listen-any", "--write-kubeconfig"}
	tui := []string{"--presenter", "--theme"}
	for _, tc := range []struct {
		args []string
		want [][]string
	}{
		{[]string{"--help"}, [][]string{cluster, api, tui}},
		{[]string{"shell", "--help"}, [][]string{cluster, api}},
		{[]string{"lesson", "--help"}, [][]string{cluster, api, tui}},
	} {
		out, _, code := runMain(t, "", tc.args...)
		if code != 0 {
			t.Fatalf("%v: exit %d", tc.args, code)
		}
		for _, group := range tc.want {
			for _, flag := range group {
				if !strings.Contains(out, flag+" ") {
					t.Errorf("kubeplay %v does not offer %s", tc.args, flag)
				}
			}
		}
	}
	// Read by the TUI only, they are refused with --shell, not ignored.
	_, errOut, code := runMain(t, "", "lesson", "--shell", "--theme", "no-color", "first-pod")
	if code == 0 || !strings.Contains(errOut, "--theme is the TUI's") {
		t.Errorf("lesson --shell --theme: exit %d, stderr %q; want a refusal", code, errOut)
	}
}

func TestBadFlagsSayWhatIsWrong(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"shell", "--runtime", "podman"}, `--runtime must be auto, sim or docker, not "podman"`},
		{[]string{"shell", "--lang", "fr"}, `--lang must be en or ko, not "fr"`},
		{[]string{"shell", "--runtime", "sim", "--node-cpu", "lots"}, `--node-cpu "lots" is not a quantity`},
		{[]string{"shell", "--runtime", "sim", "--nodes", "-2"}, "--nodes must be between 1 and 1000"},
		{[]string{"shel"}, `unknown command "shel"`},
	} {
		_, errOut, code := runMain(t, "", tc.args...)
		if code == 0 || !strings.Contains(errOut, tc.want) {
			t.Errorf("%v: exit %d, stderr %q; want non-zero and %q", tc.args, code, errOut, tc.want)
		}
	}
}

func TestStrictStopsAtTheFirstFailure(t *testing.T) {
	out, errOut, code := runMain(t, "get pods nope\nget nodes\n", "shell", "--strict", "--runtime", "sim")
	if code != 1 {
		t.Fatalf("exit %d, want 1", code)
	}
	if !strings.Contains(errOut, `Error from server (NotFound): pods "nope" not found`) {
		t.Errorf("stderr %q", errOut)
	}
	if strings.Contains(out, "node-1") {
		t.Errorf("ran the command after the failure:\n%s", out)
	}
}

func TestSameInputAndSeedSameOutput(t *testing.T) {
	script := "apply -f assets/examples/nginx-deployment.yaml\nrollout status deployment/nginx-deployment\nget pods -o wide\n"
	a, _, _ := runMain(t, script, "shell", "--seed", "42", "--trace", "--runtime", "sim")
	b, _, _ := runMain(t, script, "shell", "--seed", "42", "--trace", "--runtime", "sim")
	if a != b {
		t.Fatal("two runs with the same input and seed printed different output")
	}
	c, _, _ := runMain(t, script, "shell", "--seed", "43", "--trace", "--runtime", "sim")
	if a == c {
		t.Fatal("a different seed changed nothing: pod names should differ")
	}
}

// BenchmarkShellStart measures `kubeplay shell` from flags to the end of
// its first command. Goal: < 50 ms.
func BenchmarkShellStart(b *testing.B) {
	var out, errOut bytes.Buffer
	for range b.N {
		out.Reset()
		if code := run([]string{"shell", "--runtime", "sim"}, strings.NewReader("exit\n"), &out, &errOut); code != 0 {
			b.Fatalf("exit %d: %s", code, errOut.String())
		}
	}
}
