package shell

import "testing"

// A container has the commands of the image it plays: busybox's shell
// finds no curl (nor bash, nor getent) but has wget; Alpine adds
// getent; Debian's images have bash and no wget; nginx has curl; an image
// of kubeplay's own, or one kubeplay does not know, has every command.
func TestImageCommands(t *testing.T) {
	for _, c := range []struct {
		image, script string
		code          int
		out, err      string
	}{
		{image: "busybox:1.28", script: "curl -s http://web/", code: 127, err: "sh: curl: not found\n"},
		{image: "busybox:1.28", script: "/usr/bin/curl http://web/", code: 127, err: "sh: /usr/bin/curl: not found\n"},
		{image: "busybox:1.28", script: "busybox curl", code: 127, err: "curl: applet not found\n"},
		{image: "busybox:1.28", script: "which wget curl; command -v curl || echo none", code: 0, out: "/bin/wget\nnone\n"},
		{image: "busybox:1.28", script: "bash -c 'echo hi'", code: 127, err: "sh: bash: not found\n"},
		{image: "busybox:1.28", script: "getent hosts localhost", code: 127, err: "sh: getent: not found\n"},
		{image: "busybox", script: "wget 2>/dev/null; echo $?", out: "1\n"},
		{image: "busybox", script: "/bash-script", code: 127, err: "sh: /bash-script: not found\n"},
		{image: "debian", script: "/bash-script", out: "hi\n"},
		{image: "docker.io/library/busybox:1.36", script: "ping -c 1 -W 1 nowhere.invalid >/dev/null 2>&1; echo $?", out: "1\n"},
		{image: "alpine:3.20", script: "command -v getent wget; curl", code: 127, out: "/bin/getent\n/bin/wget\n", err: "sh: curl: not found\n"},
		{image: "ubuntu:24.04", script: "bash -c 'echo hi'; wget -q http://web/", code: 127, out: "hi\n", err: "sh: wget: not found\n"},
		{image: "nginx:1.27", script: "command -v curl wget", code: 1, out: "/bin/curl\n"},
		{image: "nginx:alpine", script: "command -v curl wget", out: "/bin/curl\n/bin/wget\n"},
		{image: "nginx:1.27-alpine-slim", script: "command -v curl wget", code: 1, out: "/bin/wget\n"},
		{image: "kubeplay/demo:v1", script: "command -v curl wget bash", out: "/bin/curl\n/bin/wget\n/bin/bash\n"},
		{image: "", script: "command -v curl", out: "/bin/curl\n"},
	} {
		fs := NewMemFS()
		if err := fs.WriteFile("/bash-script", []byte("#!/bin/bash\necho hi\n"), 0o755); err != nil {
			t.Fatal(err)
		}
		r := runAll(t, Config{Argv: sh(c.script), Image: c.image, FS: fs})
		if r.code != c.code || r.out != c.out || r.err != c.err {
			t.Errorf("%s: sh -c %q = %d %q %q, want %d %q %q", c.image, c.script, r.code, r.out, r.err, c.code, c.out, c.err)
		}
	}
}

// LookPath finds an exec's program as the container runtime does, and
// says what it does not find in runc's words.
func TestLookPath(t *testing.T) {
	fs := NewMemFS()
	if err := fs.WriteFile("/app/run.sh", []byte("echo hi\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		image, name string
		fs          FS
		want        string
	}{
		{image: "busybox:1.28", name: "wget"},
		{image: "busybox:1.28", name: "/bin/sh"},
		{image: "busybox:1.28", name: "curl", want: `exec: "curl": executable file not found in $PATH`},
		{image: "busybox:1.28", name: "ps", want: `exec: "ps": executable file not found in $PATH`},
		{image: "busybox:1.28", name: "/usr/bin/curl", want: `exec: "/usr/bin/curl": stat /usr/bin/curl: no such file or directory`},
		{image: "busybox:1.28", name: "/app/run.sh", fs: fs},
		{image: "busybox:1.28", name: "/app/nope.sh", fs: fs, want: `exec: "/app/nope.sh": stat /app/nope.sh: no such file or directory`},
		{image: "busybox:1.28", name: "/app/nope.sh"}, // no file system: its runtime looks
		{image: "nginx", name: "curl"},
		{image: "registry.k8s.io/pause:3.10", name: "sh", want: `exec: "sh": executable file not found in $PATH`},
	} {
		got := ""
		if err := LookPath(c.image, c.fs, c.name); err != nil {
			got = err.Error()
		}
		if got != c.want {
			t.Errorf("LookPath(%s, %s) = %q, want %q", c.image, c.name, got, c.want)
		}
	}
}
