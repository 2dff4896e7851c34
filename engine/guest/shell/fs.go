package shell

import (
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
)

// FS is a container's file system as the shell sees it: a MemFS on the
// simulated runtime, an OSFS inside a real container (`kubeplay sh`).
//
// open is unexported because the shell words its messages from the errors it
// returns (errIsDir, errNoDir, …), which only this package's file systems
// produce; paths are absolute and clean.
type FS interface {
	Stat(name string) (fs.FileInfo, error)
	ReadDir(name string) ([]fs.DirEntry, error)
	ReadFile(name string) ([]byte, error)
	MkdirAll(name string) error
	Remove(name string) error
	RemoveAll(name string) error
	Exists(name string) bool
	open(name string, flag int, perm fs.FileMode) (io.ReadWriteCloser, error)
}

var (
	_ FS = (*MemFS)(nil)
	_ FS = (*OSFS)(nil)
)

// OSFS is the real file system under a root directory. kubeplay's image runs
// `kubeplay sh` with the root "/", so that files written by the container's
// commands, exec probes and `kubectl exec` are real files of the container.
// The root is a prefix, not a jail: symlinks and ".." inside the tree are
// resolved by the kernel. Isolation is the container's job.
type OSFS struct{ root string }

// NewOSFS returns the file system under root ("/" inside a container; a
// temporary directory in tests).
func NewOSFS(root string) *OSFS { return &OSFS{root: root} }

func (o *OSFS) path(name string) string { return filepath.Join(o.root, clean(name)) }

// Stat follows symlinks, as the shell's tests and redirections do.
func (o *OSFS) Stat(name string) (fs.FileInfo, error) {
	fi, err := os.Stat(o.path(name))
	return fi, osErr(err, false)
}

// ReadDir lists a directory sorted by name.
func (o *OSFS) ReadDir(name string) ([]fs.DirEntry, error) {
	es, err := os.ReadDir(o.path(name))
	return es, osErr(err, false)
}

// ReadFile returns a file's contents.
func (o *OSFS) ReadFile(name string) ([]byte, error) {
	b, err := os.ReadFile(o.path(name))
	return b, osErr(err, false)
}

// MkdirAll creates a directory and its missing parents.
func (o *OSFS) MkdirAll(name string) error { return osErr(os.MkdirAll(o.path(name), 0o755), false) }

// Remove removes a file or an empty directory.
func (o *OSFS) Remove(name string) error { return osErr(os.Remove(o.path(name)), false) }

// RemoveAll removes a tree. Like MemFS (and busybox without
// --no-preserve-root) it refuses the root itself.
func (o *OSFS) RemoveAll(name string) error {
	if clean(name) == "/" {
		return &fs.PathError{Op: "remove", Path: "/", Err: fs.ErrPermission}
	}
	return osErr(os.RemoveAll(o.path(name)), false)
}

// Exists reports whether a path exists; a dangling symlink does.
func (o *OSFS) Exists(name string) bool {
	_, err := os.Lstat(o.path(name))
	return err == nil
}

func (o *OSFS) open(name string, flag int, perm fs.FileMode) (io.ReadWriteCloser, error) {
	f, err := os.OpenFile(o.path(name), flag, perm)
	if err != nil {
		return nil, osErr(err, flag&os.O_CREATE != 0)
	}
	return f, nil
}

// osErr turns the kernel's errors into the ones MemFS returns, so that the
// shell words them the same way on both. A missing path while creating a
// file means a missing parent directory.
func osErr(err error, creating bool) error {
	var pe *fs.PathError
	if err == nil || !errors.As(err, &pe) {
		return err
	}
	var to error
	switch {
	case errors.Is(pe.Err, syscall.EISDIR):
		to = errIsDir
	case errors.Is(pe.Err, syscall.ENOTDIR):
		to = errNotDir
	case errors.Is(pe.Err, syscall.ENOTEMPTY), errors.Is(pe.Err, syscall.EEXIST) && pe.Op == "remove":
		to = errNotEmpty
	case errors.Is(pe.Err, syscall.EROFS):
		to = errReadOnly
	case errors.Is(pe.Err, syscall.ENOSPC):
		to = ErrNoSpace
	case creating && errors.Is(pe.Err, syscall.ENOENT):
		to = errNoDir
	default:
		return err
	}
	return &fs.PathError{Op: pe.Op, Path: pe.Path, Err: to}
}
