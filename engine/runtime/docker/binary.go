package docker

import (
	"crypto/sha256"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"

	"github.com/moby/moby/api/types/mount"
)

// binaryMount is the mount that puts img.Binary over the image's own
// kubeplay binary; false for an image without one, and when the file
// could not be held (the image's own copy serves then). Each pod starts
// that binary at least twice (its sandbox's `pause`, with the pod's
// proxy, and a demo app or a stand-in), and a Go program's start-up is
// mostly page faults: through the storage driver (fuse-overlayfs here)
// the 90 MB binary reached main 180–340 ms after its start, from the
// host's page cache through a bind mount 20–90 ms.
//
// The file mounted is a hard link to img.Binary in the cluster's folder
// (a copy across file systems), made once: the path the images were
// built from may get another binary while the cluster runs (a rebuild),
// and its containers must go on with the one the images hold. It goes
// with the cluster's folder.
func (r *Runtime) binaryMount(img Image) (mount.Mount, bool) {
	if img.Binary == "" {
		return mount.Mount{}, false
	}
	r.mu.Lock()
	held, ok := r.binaries[img.Binary]
	r.mu.Unlock()
	if !ok {
		var err error
		if held, err = holdFile(img.Binary, filepath.Join(r.cfg.StateDir, "binaries")); err != nil {
			held = "" // not asked again for every pod
		}
		r.mu.Lock()
		r.binaries[img.Binary] = held
		r.mu.Unlock()
	}
	if held == "" {
		return mount.Mount{}, false
	}
	return mount.Mount{Type: mount.TypeBind, Source: held, Target: ImageBinary, ReadOnly: true}, true
}

// withBinary adds img's binary mount to mounts, unless a mount of the
// pod's own is there already (the daemon refuses two on one target).
func (r *Runtime) withBinary(img Image, mounts []mount.Mount) []mount.Mount {
	m, ok := r.binaryMount(img)
	for _, have := range mounts {
		if have.Target == m.Target {
			return mounts
		}
	}
	if !ok {
		return mounts
	}
	return append(mounts, m)
}

// holdFile links (or copies) src into dir, under a name of its path's,
// and returns the new name. It is written beside it and renamed, so a
// node sharing the folder never mounts half a copy.
func holdFile(src, dir string) (string, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	sum := sha256.Sum256([]byte(src))
	name := filepath.Join(dir, fmt.Sprintf("%s-%x", filepath.Base(src), sum[:6]))
	tmp := name + ".new-" + strconv.Itoa(os.Getpid()) + "-" + strconv.FormatUint(seq.Add(1), 10)
	if err := os.Link(src, tmp); err != nil {
		if err := copyExecutable(src, tmp); err != nil {
			os.Remove(tmp)
			return "", err
		}
	}
	if err := os.Rename(tmp, name); err != nil {
		os.Remove(tmp)
		return "", err
	}
	return name, nil
}

// copyExecutable copies src to a new file dst, read-only and executable.
func copyExecutable(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o555)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}
