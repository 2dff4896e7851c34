package image

import (
	"archive/tar"
	"io"
	"os"
	"path"
	"sort"
	"strings"
	"time"

	"github.com/kubeplay/kubeplay/engine/guest/multicall"
	"github.com/kubeplay/kubeplay/engine/guest/perlpi"
	"github.com/kubeplay/kubeplay/engine/runtime/docker"
)

// BinaryPath is where the image holds the kubeplay binary; every command of
// the image is a link to it.
const BinaryPath = docker.ImageBinary

// PauseCommand is the pod sandbox's command in any image kubeplay builds.
var PauseCommand = []string{BinaryPath, "pause"}

// writeRootfs writes the image's whole file system as one tar layer:
//
//	/kubeplay                      the binary
//	/bin/sh, /bin/cat, … → /kubeplay  its applets, busybox style (and /usr/bin/env,
//	                               and /usr/local/bin/perl for the perl stand-in)
//	/tmp (1777), /root, /etc/passwd, /etc/group
//	the ELF interpreter and libraries, at their paths, when it is dynamic
//
// Every entry carries the binary's modification time, so the same binary
// gives the same layer, which the daemon stores once for all tags.
func writeRootfs(w io.Writer, bin string, l linkage) error {
	st, err := os.Stat(bin)
	if err != nil {
		return err
	}
	mtime := st.ModTime().Truncate(time.Second)
	tw := tar.NewWriter(w)
	dirs := map[string]bool{}
	var mkdirs func(dir string) error
	mkdirs = func(dir string) error {
		if dir == "/" || dirs[dir] {
			return nil
		}
		if err := mkdirs(path.Dir(dir)); err != nil {
			return err
		}
		dirs[dir] = true
		return tw.WriteHeader(&tar.Header{Typeflag: tar.TypeDir, Name: strings.TrimPrefix(dir, "/") + "/", Mode: 0o755, ModTime: mtime})
	}
	for _, d := range []struct {
		name string
		mode int64
	}{{"/bin", 0o755}, {"/etc", 0o755}, {"/root", 0o700}, {"/tmp", 0o1777}, {"/usr", 0o755}, {"/usr/bin", 0o755},
		{"/usr/local", 0o755}, {"/usr/local/bin", 0o755}, {"/var", 0o755}} {
		dirs[d.name] = true
		if err := tw.WriteHeader(&tar.Header{Typeflag: tar.TypeDir, Name: d.name[1:] + "/", Mode: d.mode, ModTime: mtime}); err != nil {
			return err
		}
	}
	for _, f := range []struct{ name, data string }{
		{"/etc/passwd", "root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n"},
		{"/etc/group", "root:x:0:\nnogroup:x:65534:\n"},
	} {
		if err := tw.WriteHeader(&tar.Header{Typeflag: tar.TypeReg, Name: f.name[1:], Mode: 0o644, Size: int64(len(f.data)), ModTime: mtime}); err != nil {
			return err
		}
		if _, err := io.WriteString(tw, f.data); err != nil {
			return err
		}
	}
	if err := copyFile(tw, bin, BinaryPath, mtime); err != nil {
		return err
	}
	links := multicall.Applets()
	for i, a := range links {
		links[i] = "bin/" + a
	}
	// Scripts started by the kernel with `#!/usr/bin/env sh` need env there.
	// perl is where the perl image has it, for the perl stand-in; every
	// image has the link, so that all share one layer (a busybox stand-in
	// has a perl that plays the pi example too).
	links = append(links, "usr/bin/env", "usr/local/bin/"+perlpi.Repository)
	sort.Strings(links)
	for _, name := range links {
		if err := tw.WriteHeader(&tar.Header{Typeflag: tar.TypeSymlink, Name: name, Linkname: BinaryPath, Mode: 0o777, ModTime: mtime}); err != nil {
			return err
		}
	}
	for _, f := range l.files {
		if err := mkdirs(path.Dir(f.path)); err != nil {
			return err
		}
		if err := copyFile(tw, f.source, f.path, mtime); err != nil {
			return err
		}
	}
	return tw.Close()
}

// copyFile adds a host file to the layer as a regular file, executable.
func copyFile(tw *tar.Writer, src, dst string, mtime time.Time) error {
	f, err := os.Open(src)
	if err != nil {
		return err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return err
	}
	if err := tw.WriteHeader(&tar.Header{Typeflag: tar.TypeReg, Name: strings.TrimPrefix(dst, "/"), Mode: 0o755, Size: st.Size(), ModTime: mtime}); err != nil {
		return err
	}
	_, err = io.Copy(tw, f)
	return err
}
