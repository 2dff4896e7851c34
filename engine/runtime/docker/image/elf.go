package image

import (
	"bufio"
	"bytes"
	"debug/elf"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
)

// file is one file the image needs besides the binary: the ELF interpreter
// or a shared library, at the path the loader will look for it.
type file struct {
	path   string // in the image, the path the loader asks for
	source string // on the host, symlinks resolved
}

// linkage is what running a binary takes: nothing more for a static one;
// the interpreter (PT_INTERP) and the libraries it needs (DT_NEEDED, and
// theirs) for a dynamic one.
type linkage struct {
	interp string
	files  []file
}

func (l linkage) static() bool { return l.interp == "" && len(l.files) == 0 }

// describe says it for the progress line: "static", or "dynamic:
// ld-linux-x86-64.so.2, libc.so.6".
func (l linkage) describe() string {
	if l.static() {
		return "static"
	}
	names := make([]string, len(l.files))
	for i, f := range l.files {
		names[i] = filepath.Base(f.path)
	}
	return "dynamic: " + strings.Join(names, ", ")
}

// link finds what bin needs to run in an empty image. A default `go build`
// on Linux is dynamically linked as soon as cgo is on and the program uses
// net or os/user; kubeplay then copies the loader and libc from the host
// rather than asking users to build with CGO_ENABLED=0.
func link(bin string) (linkage, error) {
	f, err := elf.Open(bin)
	if err != nil {
		return linkage{}, fmt.Errorf("%s is not an ELF binary kubeplay can put in an image "+
			"(the Docker runtime builds its images from kubeplay's own Linux binary): %w", bin, err)
	}
	defer f.Close()
	var l linkage
	for _, p := range f.Progs {
		if p.Type == elf.PT_INTERP {
			b := make([]byte, p.Filesz)
			if _, err := p.ReadAt(b, 0); err != nil {
				return linkage{}, fmt.Errorf("%s: reading its ELF interpreter: %w", bin, err)
			}
			l.interp = string(bytes.TrimRight(b, "\x00"))
		}
	}
	seen := map[string]bool{} // paths and their real files
	add := func(path string) error {
		src, err := filepath.EvalSymlinks(path)
		if err != nil {
			return fmt.Errorf("%s needs %s: %w", bin, path, err)
		}
		seen[path] = true
		if seen[src] {
			// One file under two names: libc needs the loader, which is
			// the interpreter, already loaded by the time libc asks.
			return nil
		}
		seen[src] = true
		l.files = append(l.files, file{path: path, source: src})
		return nil
	}
	if l.interp != "" {
		if err := add(l.interp); err != nil {
			return linkage{}, err
		}
	}
	// Walk DT_NEEDED breadth first: libc needs the loader under its own
	// name, other libraries need libc, and so on.
	queue := []*elf.File{f}
	for len(queue) > 0 {
		obj := queue[0]
		queue = queue[1:]
		needed, err := obj.ImportedLibraries()
		if err != nil {
			return linkage{}, fmt.Errorf("%s: reading its needed libraries: %w", bin, err)
		}
		runpath := append(dynStrings(obj, elf.DT_RUNPATH), dynStrings(obj, elf.DT_RPATH)...)
		for _, name := range needed {
			path, err := findLibrary(name, runpath, f.Class, f.Machine)
			if err != nil {
				return linkage{}, fmt.Errorf("%s needs %s: %w", bin, name, err)
			}
			if seen[path] {
				continue
			}
			if err := add(path); err != nil {
				return linkage{}, err
			}
			lib, err := elf.Open(path)
			if err != nil {
				return linkage{}, err
			}
			defer lib.Close()
			queue = append(queue, lib)
		}
	}
	return l, nil
}

func dynStrings(f *elf.File, tag elf.DynTag) []string {
	vals, _ := f.DynString(tag)
	var dirs []string
	for _, v := range vals {
		dirs = append(dirs, filepath.SplitList(v)...)
	}
	return dirs
}

// libDirs are where loaders look when ldconfig's cache does not say:
// Debian's multiarch directories, then the classic ones (musl has no cache).
var libDirs = []string{
	"/lib64", "/usr/lib64",
	"/lib/x86_64-linux-gnu", "/usr/lib/x86_64-linux-gnu",
	"/lib/aarch64-linux-gnu", "/usr/lib/aarch64-linux-gnu",
	"/lib", "/usr/lib", "/usr/local/lib",
}

// findLibrary resolves a DT_NEEDED name as the loader would, keeping only a
// library of the binary's class and machine (a 32-bit libc may come first).
func findLibrary(name string, runpath []string, class elf.Class, machine elf.Machine) (string, error) {
	if strings.Contains(name, "/") {
		return name, nil
	}
	var candidates []string
	for _, d := range runpath {
		candidates = append(candidates, filepath.Join(d, name))
	}
	candidates = append(candidates, ldconfigCache()[name]...)
	for _, d := range libDirs {
		candidates = append(candidates, filepath.Join(d, name))
	}
	for _, c := range candidates {
		if strings.Contains(c, "$ORIGIN") {
			continue
		}
		f, err := elf.Open(c)
		if err != nil {
			continue
		}
		ok := f.Class == class && f.Machine == machine
		f.Close()
		if ok {
			return c, nil
		}
	}
	return "", fmt.Errorf("not found in ldconfig's cache nor in %s", strings.Join(libDirs, ", "))
}

var (
	ldOnce  sync.Once
	ldCache map[string][]string
)

// ldconfigCache is `ldconfig -p`: library name → paths, best first. Empty
// where there is no ldconfig (musl).
func ldconfigCache() map[string][]string {
	ldOnce.Do(func() {
		ldCache = map[string][]string{}
		prog, err := exec.LookPath("ldconfig")
		if err != nil {
			if _, serr := os.Stat("/sbin/ldconfig"); serr != nil {
				return
			}
			prog = "/sbin/ldconfig"
		}
		out, err := exec.Command(prog, "-p").Output()
		if err != nil {
			return
		}
		// "\tlibc.so.6 (libc6,x86-64) => /lib/x86_64-linux-gnu/libc.so.6"
		sc := bufio.NewScanner(bytes.NewReader(out))
		for sc.Scan() {
			name, rest, ok := strings.Cut(strings.TrimSpace(sc.Text()), " ")
			_, path, ok2 := strings.Cut(rest, "=> ")
			if ok && ok2 {
				ldCache[name] = append(ldCache[name], strings.TrimSpace(path))
			}
		}
	})
	return ldCache
}
