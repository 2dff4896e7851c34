package shell

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// result is a process run to the end, with the sleeps it asked for.
type result struct {
	code   int
	out    string
	err    string
	sleeps []time.Duration
}

// runAll steps a process to exit, as the engine would with a virtual clock.
func runAll(t testing.TB, cfg Config) result {
	t.Helper()
	var out, errb strings.Builder
	cfg.Stdout, cfg.Stderr = &out, &errb
	p := Start(cfg)
	var r result
	for i := 0; ; i++ {
		if i > 1000 {
			t.Fatalf("process did not exit after 1000 steps")
		}
		st := p.Step()
		if st.Exited {
			r.code = st.ExitCode
			break
		}
		r.sleeps = append(r.sleeps, st.Sleep)
	}
	r.out, r.err = out.String(), errb.String()
	return r
}

func sh(script string) []string { return []string{"/bin/sh", "-c", script} }

type fakeNet map[string]struct {
	code int
	body string
}

// Do answers the URLs the map has as a demo app's server would (its
// header fields, no body for a HEAD); http://echo:8080/ answers with the
// request it got, as written on the wire.
func (n fakeNet) Do(req Request) (Response, error) {
	r, ok := n[req.URL]
	if strings.HasPrefix(req.URL, "http://echo:8080/") {
		u, _ := url.Parse(req.URL)
		r.code, r.body, ok = 200, wireRequest(req, u), true
	}
	if strings.HasSuffix(req.URL, ":8080/moved") {
		r.code, r.body, ok = 302, "moved\n", true
	}
	if !ok {
		return Response{}, errors.New("can't connect to remote host: Connection refused")
	}
	resp := Response{Status: r.code, Reason: http.StatusText(r.code), Body: r.body, Header: []Field{
		{"Content-Length", strconv.Itoa(len(r.body))}, {"Content-Type", "text/plain; charset=utf-8"}, {"Date", "Thu, 01 Jan 1970 00:00:00 GMT"}}}
	if r.code == 302 {
		resp.Header = append(resp.Header, Field{"Location", "/healthz"})
	}
	if req.Method == "HEAD" {
		resp.Body = ""
	}
	return resp, nil
}

// ResolvesNames: the fake network finds hosts by name, as the real one.
func (fakeNet) ResolvesNames() {}

func TestScripts(t *testing.T) {
	net := fakeNet{
		"http://web:8080/healthz": {200, "ok\n"},
		"http://web:8080/":        {200, "hello from web\n"},
		"http://web:8080/broken":  {503, "down\n"},
	}
	tests := []struct {
		name   string
		argv   []string
		env    map[string]string
		code   int
		out    string
		err    string
		sleeps []time.Duration
	}{
		{name: "echo", argv: sh("echo hello world"), out: "hello world\n"},
		{name: "direct command", argv: []string{"echo", "a b", "$HOME"}, out: "a b $HOME\n"},
		{name: "redirect and cat", argv: sh("echo hi > /tmp/x; echo there >> /tmp/x; cat /tmp/x"), out: "hi\nthere\n"},
		{name: "input redirect", argv: sh("echo abc > /tmp/in; read v < /tmp/in; echo got $v"), out: "got abc\n"},
		{name: "test -f", argv: sh("[ -f /tmp/x ] || echo no; touch /tmp/x; [ -f /tmp/x ] && echo yes"), out: "no\nyes\n"},
		{name: "glob", argv: sh("touch /tmp/a.log /tmp/b.log /tmp/c.txt; echo /tmp/*.log"), out: "/tmp/a.log /tmp/b.log\n"},
		{name: "unknown command", argv: sh("nosuch arg"), code: 127, err: "sh: nosuch: not found\n"},
		{name: "unknown direct", argv: []string{"nosuch"}, code: 127, err: "sh: nosuch: not found\n"},
		{name: "bash unknown", argv: []string{"bash", "-c", "nosuch"}, code: 127, err: "bash: nosuch: command not found\n"},
		{name: "exit code", argv: sh("exit 3"), code: 3},
		{name: "false", argv: sh("false"), code: 1},
		{name: "status of last", argv: sh("false; true"), code: 0},
		{name: "not executable", argv: sh("echo 'echo hi' > /tmp/s; /tmp/s"), code: 126, err: "sh: /tmp/s: Permission denied\n"},
		{name: "directory not executable", argv: sh("/tmp"), code: 126, err: "sh: /tmp: Permission denied\n"},
		{name: "missing path", argv: sh("/nope/x"), code: 127, err: "sh: /nope/x: not found\n"},
		{name: "bin paths", argv: sh("/bin/echo a; /usr/bin/printf '%s\\n' b; /bin/true && echo c"), out: "a\nb\nc\n"},
		{name: "cat missing", argv: sh("cat /tmp/healthy"), code: 1, err: "cat: can't open '/tmp/healthy': No such file or directory\n"},
		{name: "create in missing dir", argv: sh("echo x > /nodir/f"), code: 1, err: "sh: can't create /nodir/f: nonexistent directory\n"},
		{name: "open missing", argv: sh("cat < /nofile"), code: 1, err: "sh: can't open '/nofile': No such file or directory\n"},
		{name: "rm", argv: sh("touch /tmp/a; rm /tmp/a; rm /tmp/a; rm -f /tmp/a"), code: 0, err: "rm: can't remove '/tmp/a': No such file or directory\n"},
		{name: "rm -r", argv: sh("mkdir -p /data/a/b; touch /data/a/b/c; rm /data/a; rm -rf /data/a; ls /data"), err: "rm: '/data/a' is a directory\n"},
		{name: "mkdir", argv: sh("mkdir /a/b; mkdir /a; mkdir /a; mkdir -p /a/b/c && echo ok"), out: "ok\n",
			err: "mkdir: can't create directory '/a/b': No such file or directory\nmkdir: can't create directory '/a': File exists\n"},
		{name: "ls", argv: sh("mkdir /d; touch /d/b /d/a /d/.h; ls /d; ls -a /d"), out: "a\nb\n.\n..\n.h\na\nb\n"},
		{name: "ls -l", argv: sh("mkdir /d; echo hello > /d/f; ls -l /d"), out: "-rw-r--r--    1 root     root             6 Jan  1 00:00 f\n"},
		{name: "ls missing", argv: sh("ls /nope"), code: 1, err: "ls: /nope: No such file or directory\n"},
		{name: "head tail wc", argv: sh("printf '1\\n2\\n3\\n4\\n' > /f; head -n 2 /f; tail -1 /f; wc -l /f; wc -l < /f"), out: "1\n2\n4\n4 /f\n4\n"},
		{name: "head tail several files", argv: sh("echo a > /a; echo b > /b; head -n 1 /a /nope /b || echo failed; tail -n 1 /a /b"),
			out: "==> /a <==\na\n\n==> /b <==\nb\nfailed\n==> /a <==\na\n\n==> /b <==\nb\n",
			err: "head: can't open '/nope': No such file or directory\n"},
		{name: "grep", argv: sh("printf 'alpha\\nbeta\\ngamma\\n' > /f; grep ta /f; grep -q zeta /f || echo none; grep -c a /f; grep '^g.*a$' /f"),
			out: "beta\nnone\n3\ngamma\n"},
		{name: "grep exit", argv: sh("echo x | grep -q y"), code: 1},
		{name: "pipe", argv: sh("echo one two | grep two | wc -l"), out: "1\n"},
		{name: "hostname", argv: sh("hostname; echo $HOSTNAME"), env: map[string]string{"HOSTNAME": "web-7d9f"}, out: "web-7d9f\nweb-7d9f\n"},
		{name: "env", argv: []string{"env"}, env: map[string]string{"A": "1"}, out: "A=1\nHOME=/root\nPATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\n"},
		{name: "env exports", argv: sh("X=1; export Y=2; env | grep -v PATH | grep -v HOME"), out: "Y=2\n"},
		{name: "env command", argv: sh("env HOSTNAME=other hostname"), out: "other\n"},
		{name: "date", argv: sh("date; date +%Y-%m-%dT%H:%M:%S"), out: "Thu Jan  1 00:00:00 UTC 1970\n1970-01-01T00:00:00\n"},
		{name: "pid", argv: sh("echo $$ $PPID"), out: "1 0\n"},
		{name: "random is seeded", argv: sh("echo $RANDOM $RANDOM"), out: "1807 3204\n"},
		{name: "sleep", argv: sh("echo a; sleep 1.5; echo b; sleep 2m; sleep 1 2"), out: "a\nb\n",
			sleeps: []time.Duration{1500 * time.Millisecond, 2 * time.Minute, 3 * time.Second}},
		{name: "sleep direct", argv: []string{"sleep", "5"}, sleeps: []time.Duration{5 * time.Second}},
		{name: "sleep 0 does not yield", argv: sh("sleep 0; echo x"), out: "x\n"},
		{name: "sleep bad", argv: sh("sleep abc"), code: 1, err: "sleep: invalid number 'abc'\n"},
		{name: "loop with sleep", argv: sh("i=0; while [ $i -lt 3 ]; do echo $i; sleep 10; i=$((i+1)); done"), out: "0\n1\n2\n",
			sleeps: []time.Duration{10 * time.Second, 10 * time.Second, 10 * time.Second}},
		{name: "set -e", argv: []string{"sh", "-ec", "false; echo not here"}, code: 1},
		{name: "sh -c name args", argv: []string{"sh", "-c", "echo $0 $1 $2", "me", "a", "b"}, out: "me a b\n"},
		{name: "nested sh", argv: sh("sh -c 'exit 4'; echo $?"), out: "4\n"},
		{name: "script file", argv: sh("printf '#!/bin/sh\\necho script $1\\nexit 5\\n' > /s.sh; chmod=no; sh /s.sh x; echo $?"), out: "script x\n5\n"},
		{name: "executable script", argv: sh("echo 'echo ran' > /s; sh -c '/s' || true"), err: "sh: /s: Permission denied\n"},
		{name: "function and subshell", argv: sh("f() { echo in f $1; return 2; }; f x; echo $?; (exit 7); echo $?; echo $(echo sub)"), out: "in f x\n2\n7\nsub\n"},
		{name: "dev null", argv: sh("echo hidden > /dev/null; cat /dev/null; echo shown 2>/dev/null; echo err >&2"), out: "shown\n", err: "err\n"},
		{name: "command -v", argv: sh("command -v cat; command -v echo; command -v nosuch || echo missing; type ls"), out: "/bin/cat\necho\nmissing\nls is /bin/ls\n"},
		{name: "wget", argv: sh("wget -qO- http://web:8080/healthz"), out: "ok\n"},
		{name: "wget no scheme", argv: sh("wget -q -O - web:8080/"), out: "hello from web\n"},
		{name: "wget file", argv: sh("cd /tmp && wget -q web:8080/ && cat index.html && wget -q -O /tmp/h web:8080/healthz && cat /tmp/h"), out: "hello from web\nok\n"},
		{name: "wget spider", argv: sh("wget -q --spider -T 1 http://web:8080/healthz && echo up"), out: "up\n"},
		{name: "wget follows a redirect", argv: sh("wget -qO- web:8080/moved"), out: "ok\n"},
		{name: "wget headers", argv: sh("wget -qO- --header 'Host: shop.example' -U probe --header='X-A: 1' http://echo:8080/"),
			out: "GET / HTTP/1.1\r\nConnection: close\r\nHost: shop.example\r\nUser-Agent: probe\r\nX-A: 1\r\n\r\n"},
		{name: "curl", argv: sh("curl -s http://web:8080/healthz; curl web:8080/"), out: "ok\nhello from web\n"},
		{name: "curl write-out", argv: sh("curl -s -o /dev/null -w '%{http_code}\\n' web:8080/broken"), out: "503\n"},
		{name: "curl fail", argv: sh("curl -sf web:8080/broken; echo $?"), out: "22\n"},
		{name: "curl fail shown", argv: sh("curl -sSf web:8080/broken"), code: 22, err: "curl: (22) The requested URL returned error: 503\n"},
		{name: "curl refused", argv: sh("curl web:9/"), code: 7, err: "curl: (7) Failed to connect to web port 9 after 0 ms: Couldn't connect to server\n"},
		{name: "curl file", argv: sh("curl -so /tmp/h web:8080/healthz && cat /tmp/h && curl --silent --output /tmp/i --write-out x web:8080/ && cat /tmp/i"), out: "ok\nxhello from web\n"},
		{name: "curl post", argv: sh("curl -s -d a=1 --data b=2 echo:8080/form"),
			out: "POST /form HTTP/1.1\r\nHost: echo:8080\r\nUser-Agent: curl/8.14.1\r\nAccept: */*\r\nContent-Length: 7\r\n" +
				"Content-Type: application/x-www-form-urlencoded\r\n\r\na=1&b=2"},
		{name: "curl headers", argv: sh("curl -s -X PUT -H 'Host: shop.example' -H 'X-Trace: 1' -H 'Accept:' -A probe echo:8080/"),
			out: "PUT / HTTP/1.1\r\nHost: shop.example\r\nX-Trace: 1\r\nUser-Agent: probe\r\n\r\n"},
		{name: "curl head", argv: sh("curl -sI web:8080/healthz"),
			out: "HTTP/1.1 200 OK\r\nContent-Length: 3\r\nContent-Type: text/plain; charset=utf-8\r\nDate: Thu, 01 Jan 1970 00:00:00 GMT\r\n\r\n"},
		{name: "curl include", argv: sh("curl -si web:8080/broken"),
			out: "HTTP/1.1 503 Service Unavailable\r\nContent-Length: 5\r\nContent-Type: text/plain; charset=utf-8\r\nDate: Thu, 01 Jan 1970 00:00:00 GMT\r\n\r\ndown\n"},
		{name: "curl redirect", argv: sh("curl -s web:8080/moved; curl -sL -w ' %{num_redirects} %{url_effective}\\n' web:8080/moved; curl -sLX POST echo:8080/moved | head -n 1"),
			out: "moved\nok\n 1 http://web:8080/healthz\nPOST /healthz HTTP/1.1\r\n"},
		{name: "curl head and data", argv: sh("curl -I -d x web:8080/"), code: 2,
			err: "Warning: You can only select one HTTP request method! You asked for both POST \nWarning: (-d, --data) and HEAD (-I, --head).\n"},
		{name: "curl data file", argv: sh("printf 'a=1\\nb=2\\n' > /d; curl -s -d @/d -o /o echo:8080/; tail -n 1 /o; curl -s --data-binary @/d echo:8080/ | tail -n 2"), out: "a=1b=2a=1\nb=2\n"},
		{name: "curl write-out vars", argv: sh("curl -s -o /dev/null -w '%{method} %{response_code} %{size_download} %{nope}\\n' -d x web:8080/healthz"),
			out: "POST 200 3 \n", err: "curl: unknown --write-out variable: 'nope'\n"},
		{name: "curl unknown option", argv: sh("curl --nope web:8080/"), code: 2, err: "curl: option --nope: is unknown\ncurl: try 'curl --help' or 'curl --manual' for more information\n"},
		{name: "curl missing value", argv: sh("curl web:8080/ -H"), code: 2, err: "curl: option -H: requires parameter\ncurl: try 'curl --help' or 'curl --manual' for more information\n"},
		{name: "wget error", argv: sh("wget -q -O- http://web:8080/broken"), code: 1, err: "wget: server returned error: HTTP/1.1 503 Service Unavailable\n"},
		{name: "wget refused", argv: sh("wget -q -O- http://db:5432/"), code: 1, err: "wget: can't connect to remote host: Connection refused\n"},
		{name: "wget verbose", argv: sh("wget -O- web:8080/healthz"), out: "ok\n", err: "Connecting to web:8080 (web:8080)\nwriting to stdout\nwritten to stdout\n"},
		{name: "syntax error", argv: sh("if then"), code: 2},
		{name: "busybox", argv: []string{"busybox", "echo", "bb"}, out: "bb\n"},
		{name: "cd and pwd", argv: sh("cd /tmp; pwd; pwd -P; cd /nope"), code: 1, out: "/tmp\n/tmp\n"},
		{name: "source", argv: sh("echo 'V=sourced' > /tmp/lib.sh; . /tmp/lib.sh; echo $V"), out: "sourced\n"},
		{name: "heredoc", argv: sh("cat <<EOF\nline $((1+1))\nEOF"), out: "line 2\n"},
		{name: "tail -f sleeps forever", argv: sh("echo x > /l; tail -f /l"), out: "x\n", sleeps: []time.Duration{Forever}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := Config{Argv: tt.argv, Env: tt.env, Net: net}
			r := runAll(t, cfg)
			if r.code != tt.code || r.out != tt.out || (tt.err != "" || tt.code == 0) && r.err != tt.err {
				t.Errorf("got code %d\nstdout %q\nstderr %q\nwant code %d\nstdout %q\nstderr %q", r.code, r.out, r.err, tt.code, tt.out, tt.err)
			}
			if tt.sleeps != nil && fmt.Sprint(r.sleeps) != fmt.Sprint(tt.sleeps) {
				t.Errorf("sleeps %v, want %v", r.sleeps, tt.sleeps)
			}
		})
	}
}

// The Kubernetes docs' liveness exec example: the probe passes for the first
// 30 s of virtual time and fails after.
func TestLivenessClassic(t *testing.T) {
	fsys := NewMemFS()
	var out, errb strings.Builder
	p := Start(Config{Argv: sh("touch /tmp/healthy; sleep 30; rm -f /tmp/healthy; sleep 600"), FS: fsys, Stdout: &out, Stderr: &errb})
	probe := func() (int, string) {
		var perr strings.Builder
		code, timedOut := Exec(Config{Argv: []string{"cat", "/tmp/healthy"}, FS: fsys, Stderr: &perr}, time.Second)
		if timedOut {
			t.Fatal("probe timed out")
		}
		return code, perr.String()
	}
	if st := p.Step(); st != (State{Sleep: 30 * time.Second}) {
		t.Fatalf("first step: %+v", st)
	}
	if code, msg := probe(); code != 0 || msg != "" {
		t.Fatalf("probe before 30s: %d %q", code, msg)
	}
	if st := p.Step(); st != (State{Sleep: 600 * time.Second}) {
		t.Fatalf("second step: %+v", st)
	}
	code, msg := probe()
	if want := "cat: can't open '/tmp/healthy': No such file or directory\n"; code != 1 || msg != want {
		t.Fatalf("probe after 30s: %d %q", code, msg)
	}
	if st := p.Signal(syscall.SIGTERM); st != (State{Exited: true, ExitCode: 143}) {
		t.Fatalf("SIGTERM: %+v", st)
	}
	if out.Len()+errb.Len() != 0 {
		t.Fatalf("unexpected output %q %q", out.String(), errb.String())
	}
}

func TestSignals(t *testing.T) {
	tests := []struct {
		name  string
		argv  []string
		sig   syscall.Signal
		after State // what Signal returns
		end   State // after stepping on
		out   string
	}{
		{name: "kill", argv: sh("sleep 10; echo no"), sig: syscall.SIGKILL, after: State{Exited: true, ExitCode: 137}, end: State{Exited: true, ExitCode: 137}},
		{name: "term untrapped", argv: sh("sleep 10"), sig: syscall.SIGTERM, after: State{Exited: true, ExitCode: 143}, end: State{Exited: true, ExitCode: 143}},
		{name: "int untrapped", argv: []string{"sleep", "10"}, sig: syscall.SIGINT, after: State{Exited: true, ExitCode: 130}, end: State{Exited: true, ExitCode: 130}},
		{name: "term trapped exits", argv: sh("trap 'echo bye; exit 0' TERM; echo start; sleep 600; echo not here"), sig: syscall.SIGTERM,
			after: State{}, end: State{Exited: true}, out: "start\nbye\n"},
		{name: "term trapped continues", argv: sh("trap 'echo caught' SIGTERM; sleep 600; echo after $?; sleep 5; echo done"), sig: syscall.SIGTERM,
			after: State{}, end: State{Sleep: 5 * time.Second}, out: "caught\nafter 143\n"},
		{name: "term ignored", argv: sh("trap '' TERM; sleep 600"), sig: syscall.SIGTERM,
			after: State{Sleep: 600 * time.Second}, end: State{Exited: true}},
		{name: "trap reset", argv: sh("trap 'echo x' TERM; trap - TERM; sleep 600"), sig: syscall.SIGTERM,
			after: State{Exited: true, ExitCode: 143}, end: State{Exited: true, ExitCode: 143}},
		{name: "kill beats trap", argv: sh("trap 'echo x' TERM; sleep 600"), sig: syscall.SIGKILL,
			after: State{Exited: true, ExitCode: 137}, end: State{Exited: true, ExitCode: 137}},
		{name: "exit trap still works", argv: sh("trap 'echo exiting' EXIT; trap 'exit 3' TERM; sleep 600"), sig: syscall.SIGTERM,
			after: State{}, end: State{Exited: true, ExitCode: 3}, out: "exiting\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out strings.Builder
			p := Start(Config{Argv: tt.argv, Stdout: &out})
			if st := p.Step(); st.Exited {
				t.Fatalf("exited early: %+v", st)
			}
			if st := p.Signal(tt.sig); st != tt.after {
				t.Fatalf("Signal: %+v, want %+v", st, tt.after)
			}
			if st := p.Step(); st != tt.end {
				t.Fatalf("Step after signal: %+v, want %+v", st, tt.end)
			}
			p.Signal(syscall.SIGKILL)
			if out.String() != tt.out {
				t.Fatalf("stdout %q, want %q", out.String(), tt.out)
			}
		})
	}
}

func TestSignalBeforeStart(t *testing.T) {
	p := Start(Config{Argv: []string{"sleep", "1"}})
	if st := p.Signal(syscall.SIGTERM); st != (State{Exited: true, ExitCode: 143}) {
		t.Fatalf("%+v", st)
	}
	if st := p.Step(); st != (State{Exited: true, ExitCode: 143}) {
		t.Fatalf("%+v", st)
	}
}

func TestExecTimeout(t *testing.T) {
	tests := []struct {
		script   string
		limit    time.Duration
		code     int
		timedOut bool
	}{
		{"exit 0", time.Second, 0, false},
		{"sleep 1; exit 2", time.Second, 2, false},
		{"sleep 0.5; sleep 0.6", time.Second, 137, true},
		{"sleep 5", time.Second, 137, true},
		{"sleep infinity", 10 * time.Second, 137, true},
		{"while true; do sleep 1; done", 3 * time.Second, 137, true},
	}
	for _, tt := range tests {
		code, timedOut := Exec(Config{Argv: sh(tt.script)}, tt.limit)
		if code != tt.code || timedOut != tt.timedOut {
			t.Errorf("%q: got %d %v, want %d %v", tt.script, code, timedOut, tt.code, tt.timedOut)
		}
	}
}

func TestStepBudget(t *testing.T) {
	for _, script := range []string{
		"while true; do :; done",
		"while x=1; do y=2; done",
		"for ((;;)); do x=1; done",
		"f() { f; }; f",
		"g() { g; }; MaxSteps=big; g",
		"x=a; while :; do x=$x$x; done",
		"echo 'sh /r' > /r; sh /r",
		"while :; do echo y; done | head -n 1; while :; do :; done",
	} {
		var errb strings.Builder
		p := Start(Config{Argv: sh(script), MaxSteps: 5000, Stderr: &errb})
		st := p.Step()
		if !st.Exited || st.ExitCode == 0 {
			t.Errorf("%q: %+v", script, st)
		}
		if !strings.Contains(errb.String(), "killed") && !strings.Contains(errb.String(), "too many nested") {
			t.Errorf("%q: stderr %q", script, errb.String())
		}
	}
	// The budget is per step: a loop that sleeps may run forever.
	p := Start(Config{Argv: sh("while true; do sleep 1; done"), MaxSteps: 50})
	for range 200 {
		if st := p.Step(); st.Exited {
			t.Fatalf("sleeping loop killed: %+v", st)
		}
	}
	p.Signal(syscall.SIGKILL)
}

func TestDeterminism(t *testing.T) {
	script := `i=0; while [ $i -lt 20 ]; do echo "$i $RANDOM $$" | tee=no grep -v x >> /tmp/log; i=$((i+1)); sleep 0.1; done
cat /tmp/log | wc -l; ls -la /tmp; date; env; nosuch 2>&1; echo $RANDOM`
	first := runAll(t, Config{Argv: sh(script), Env: map[string]string{"B": "2", "A": "1", "C": "3"}, Seed: 42})
	for range 5 {
		again := runAll(t, Config{Argv: sh(script), Env: map[string]string{"B": "2", "A": "1", "C": "3"}, Seed: 42})
		if fmt.Sprint(again) != fmt.Sprint(first) {
			t.Fatalf("runs differ:\n%v\n%v", first, again)
		}
	}
}

// goroutinesSettle waits for the goroutine count to drop back to n.
func goroutinesSettle(t *testing.T, n int) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for runtime.NumGoroutine() > n {
		if time.Now().After(deadline) {
			buf := make([]byte, 1<<20)
			t.Fatalf("%d goroutines, want %d:\n%s", runtime.NumGoroutine(), n, buf[:runtime.Stack(buf, true)])
		}
		time.Sleep(time.Millisecond)
	}
}

func TestNoGoroutineLeak(t *testing.T) {
	goroutinesSettle(t, runtime.NumGoroutine())
	before := runtime.NumGoroutine()
	scripts := []string{
		"echo hi",
		"sleep 10",
		"sleep 100 & echo bg",
		"sleep 5 | cat",
		"(sleep 1; echo x) & wait",
		"trap 'exit 0' TERM; sleep 600",
		"cat <<EOF\nhi\nEOF",
		"while :; do :; done",
		"sleep 1 & sleep 2 & sleep 3",
	}
	for _, s := range scripts {
		// Run to completion, and kill after the first step.
		runAll(t, Config{Argv: sh(s), MaxSteps: 1000})
		p := Start(Config{Argv: sh(s), MaxSteps: 1000})
		p.Step()
		p.Signal(syscall.SIGTERM)
		p.Step()
		p.Signal(syscall.SIGKILL)
		// Started but never stepped: no goroutine at all.
		Start(Config{Argv: sh(s)})
	}
	goroutinesSettle(t, before)
}

func TestMemFS(t *testing.T) {
	f := NewMemFS()
	if err := f.WriteFile("/etc/config/app.yaml", []byte("a: 1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if !f.Exists("/etc/config") {
		t.Fatal("parent not created")
	}
	b, err := f.ReadFile("/etc/config/app.yaml")
	if err != nil || string(b) != "a: 1\n" {
		t.Fatalf("%q %v", b, err)
	}
	if err := f.Remove("/etc/config"); err == nil {
		t.Fatal("removed a non-empty directory")
	}
	if err := f.Remove("/etc/config/app.yaml"); err != nil {
		t.Fatal(err)
	}
	if _, err := f.ReadFile("/etc/config/app.yaml"); err == nil {
		t.Fatal("file still there")
	}
	if err := f.MkdirAll("/a/b/c"); err != nil || !f.Exists("/a/b") {
		t.Fatal(err)
	}
	// The engine sees what a process wrote, and the other way round.
	r := runAll(t, Config{Argv: sh("cat /etc/motd; echo written > /tmp/out"), FS: f})
	_ = r
	f.WriteFile("/etc/motd", []byte("welcome\n"), 0o644)
	r = runAll(t, Config{Argv: sh("cat /etc/motd; echo written > /tmp/out"), FS: f})
	if r.out != "welcome\n" {
		t.Fatalf("%q", r.out)
	}
	if b, _ := f.ReadFile("/tmp/out"); string(b) != "written\n" {
		t.Fatalf("%q", b)
	}
}

// BenchmarkProcStep starts the liveness classic and steps it to the end.
func BenchmarkProcStep(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		p := Start(Config{Argv: sh("touch /tmp/healthy; sleep 30; rm -f /tmp/healthy; sleep 600")})
		for !p.Step().Exited {
		}
	}
}

// BenchmarkExecProbe is one `cat /tmp/healthy` exec probe.
func BenchmarkExecProbe(b *testing.B) {
	fsys := NewMemFS()
	fsys.WriteFile("/tmp/healthy", nil, 0o644)
	b.ReportAllocs()
	for b.Loop() {
		Exec(Config{Argv: []string{"cat", "/tmp/healthy"}, FS: fsys}, time.Second)
	}
}
