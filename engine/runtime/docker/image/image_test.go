package image

import (
	"archive/tar"
	"bytes"
	"io"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/distribution/reference"
	"github.com/kubeplay/kubeplay/engine/guest/multicall"
	"github.com/kubeplay/kubeplay/engine/guest/multicall/kubeplaytest"
)

func TestMain(m *testing.M) { kubeplaytest.Main(m) }

func TestLinkStatic(t *testing.T) {
	l, err := link(kubeplaytest.Binary(t, true))
	if err != nil {
		t.Fatal(err)
	}
	if !l.static() || l.describe() != "static" {
		t.Errorf("CGO_ENABLED=0 build: %+v", l)
	}
}

// dynamicBinary is a default build, skipping when the toolchain made it
// static anyway (no C compiler).
func dynamicBinary(t *testing.T) (string, linkage) {
	bin := kubeplaytest.Binary(t, false)
	l, err := link(bin)
	if err != nil {
		t.Fatal(err)
	}
	if l.static() {
		t.Skip("the default build is static here (no cgo): nothing dynamic to test")
	}
	return bin, l
}

func TestLinkDynamic(t *testing.T) {
	_, l := dynamicBinary(t)
	if l.interp == "" || l.files[0].path != l.interp {
		t.Fatalf("no ELF interpreter first: %+v", l)
	}
	var names []string
	for _, f := range l.files {
		names = append(names, filepath.Base(f.path))
		if _, err := os.Stat(f.source); err != nil || !filepath.IsAbs(f.path) {
			t.Errorf("%+v: %v", f, err)
		}
	}
	if !slices.ContainsFunc(names, func(n string) bool { return strings.HasPrefix(n, "libc.") || strings.HasPrefix(n, "libc-") }) {
		t.Errorf("no libc among %v", names)
	}
	if !strings.HasPrefix(l.describe(), "dynamic: ") {
		t.Errorf("describe: %q", l.describe())
	}
}

func TestLinkNotELF(t *testing.T) {
	p := filepath.Join(t.TempDir(), "script")
	os.WriteFile(p, []byte("#!/bin/sh\n"), 0o755)
	if _, err := link(p); err == nil || !strings.Contains(err.Error(), "not an ELF binary") {
		t.Errorf("err = %v", err)
	}
}

// TestRootfs reads back the layer: the binary, its links, /tmp's sticky bit,
// the loader and libraries at the paths the loader asks for.
func TestRootfs(t *testing.T) {
	bin, l := dynamicBinary(t)
	var a, b bytes.Buffer
	if err := writeRootfs(&a, bin, l); err != nil {
		t.Fatal(err)
	}
	if err := writeRootfs(&b, bin, l); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Error("two layers of the same binary differ: the daemon could not share them between tags")
	}
	entries := map[string]*tar.Header{}
	tr := tar.NewReader(&a)
	for {
		h, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		if entries[h.Name] != nil {
			t.Errorf("%s twice", h.Name)
		}
		entries[h.Name] = h
	}
	st, _ := os.Stat(bin)
	if h := entries["kubeplay"]; h == nil || h.Size != st.Size() || h.Mode != 0o755 {
		t.Errorf("kubeplay: %+v", h)
	}
	if h := entries["tmp/"]; h == nil || h.Mode != 0o1777 {
		t.Errorf("tmp/: %+v", h)
	}
	for _, a := range append(multicall.Applets(), "../usr/bin/env", "../usr/local/bin/perl") {
		if h := entries[path.Clean("bin/"+a)]; h == nil || h.Typeflag != tar.TypeSymlink || h.Linkname != "/kubeplay" {
			t.Errorf("bin/%s: %+v", a, h)
		}
	}
	for _, f := range l.files {
		name := strings.TrimPrefix(f.path, "/")
		if h := entries[name]; h == nil || h.Typeflag != tar.TypeReg {
			t.Errorf("%s: %+v", name, h)
		}
		for d := filepath.Dir(name); d != "."; d = filepath.Dir(d) {
			if entries[d+"/"] == nil {
				t.Errorf("no directory %s/ for %s", d, name)
			}
		}
	}
}

func TestStandIn(t *testing.T) {
	for _, tc := range []struct {
		ref, demo, notice string
		ok                bool
	}{
		{"nginx", "kubeplay/stand-in/nginx:latest", "docker runtime: nginx is played by the kubeplay demo app (no registry is reached)", true},
		{"nginx:1.25", "kubeplay/stand-in/nginx:1.25", "docker runtime: nginx:1.25 is played by the kubeplay demo app (no registry is reached)", true},
		{"docker.io/library/redis:7", "kubeplay/stand-in/redis:7", "docker runtime: docker.io/library/redis:7 is played by the kubeplay demo app (no registry is reached)", true},
		{"busybox:1.36", "kubeplay/stand-in/busybox:1.36", "docker runtime: busybox:1.36 is played by kubeplay's shell (no registry is reached)", true},
		{"registry.k8s.io/busybox:1.28", "kubeplay/stand-in/registry.k8s.io/busybox:1.28", "docker runtime: registry.k8s.io/busybox:1.28 is played by kubeplay's shell (no registry is reached)", true},
		{"registry.k8s.io/pause:3.9", "kubeplay/stand-in/registry.k8s.io/pause:3.9", "docker runtime: registry.k8s.io/pause:3.9 is played by kubeplay's pause (no registry is reached)", true},
		{"perl:5.34.0", "kubeplay/stand-in/perl:5.34.0", "docker runtime: perl:5.34.0 is played by kubeplay's perl stand-in, which runs only the documentation's pi example (perl -Mbignum=bpi -wle 'print bpi(N)') (no registry is reached)", true},
		{"docker.io/library/perl", "kubeplay/stand-in/perl:latest", "", true},
		{"alpine@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", "kubeplay/stand-in/alpine:latest", "", true},
		{"kubeplay/demo:v1", "", "", false},
		{"postgres:16", "", "", false},
		{"myregistry.example.com/team/app:v3", "", "", false},
	} {
		demo, notice, ok := StandIn(tc.ref)
		if ok != tc.ok || demo != tc.demo || (tc.notice != "" && notice != tc.notice) {
			t.Errorf("StandIn(%q) = %q, %q, %v; want %q, %q, %v", tc.ref, demo, notice, ok, tc.demo, tc.notice, tc.ok)
		}
		if ok {
			if _, err := reference.ParseNormalizedNamed(demo); err != nil {
				t.Errorf("%s is not a reference the daemon takes: %v", demo, err)
			}
			if !Builds(demo) {
				t.Errorf("Ensure would refuse %s", demo)
			}
		}
	}
}

func TestParse(t *testing.T) {
	for _, tc := range []struct{ ref, norm, kind, tag string }{
		{"kubeplay/demo:v1", "kubeplay/demo:v1", "demo", "v1"},
		{"kubeplay/demo", "kubeplay/demo:latest", "demo", "latest"},
		{"docker.io/kubeplay/demo:broken", "kubeplay/demo:broken", "demo", "broken"},
		{"kubeplay/pause:latest", "kubeplay/pause:latest", "pause", "latest"},
		{"kubeplay/stand-in/alpine:3.19", "kubeplay/stand-in/alpine:3.19", "shell", "3.19"},
		{"kubeplay/stand-in/perl:5.34.0", "kubeplay/stand-in/perl:5.34.0", "perl", "5.34.0"},
	} {
		s, err := parse(tc.ref)
		if err != nil || s.ref != tc.norm || s.kind != tc.kind || s.tag != tc.tag {
			t.Errorf("parse(%q) = %+v, %v", tc.ref, s, err)
		}
	}
	for _, bad := range []string{"nginx", "kubeplay/other:v1", "kubeplay/stand-in/postgres:16"} {
		if Builds(bad) {
			t.Errorf("Builds(%q)", bad)
		}
	}
}

func TestChanges(t *testing.T) {
	s, _ := parse("kubeplay/stand-in/nginx:1.25")
	got := strings.Join(s.changes("abc", nil), "\n")
	for _, want := range []string{`ENTRYPOINT ["/kubeplay","demo-app"]`, "ENV VERSION=1.25", "ENV KUBEPLAY_IMAGE=nginx:1.25",
		"LABEL kubeplay.image=demo", "LABEL kubeplay.binary-sha256=abc", "LABEL kubeplay.stand-in=nginx:1.25", "ENV PATH="} {
		if !strings.Contains(got, want) {
			t.Errorf("no %q in\n%s", want, got)
		}
	}
	s, _ = parse("kubeplay/stand-in/perl:5.34.0")
	if got := strings.Join(s.changes("abc", nil), "\n"); !strings.Contains(got, `CMD ["perl"]`) || strings.Contains(got, "ENTRYPOINT") {
		t.Errorf("perl:\n%s", got)
	}
	s, _ = parse("kubeplay/pause")
	if got := strings.Join(s.changes("abc", nil), "\n"); !strings.Contains(got, `ENTRYPOINT ["/kubeplay","pause"]`) {
		t.Errorf("pause:\n%s", got)
	}
}
