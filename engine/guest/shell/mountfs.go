package shell

import (
	"errors"
	"io"
	"io/fs"
	"os"
	"path"
	"sort"
	"strings"
)

// Mount puts a folder of another file system (a volume) at a path of a
// container's file system.
type Mount struct {
	Path     string // where the container sees it: absolute
	FS       FS     // the volume's file system, shared between containers
	Dir      string // the folder of FS that is mounted; "" for its root
	ReadOnly bool
}

// MountFS is a container's file system with volumes mounted in it: paths
// under a mount go to the volume's file system, the others to the
// container's own. It is what a simulated container with volumeMounts sees.
type MountFS struct {
	root   FS
	mounts []Mount // longest path first, so nested mounts win
}

var _ FS = (*MountFS)(nil)

// errReadOnly is what writes to a readOnly mount get.
var errReadOnly = errors.New("read-only file system")

// NewMountFS mounts each of mounts on root, creating the mount points in
// root and the mounted folders in the volumes, as a runtime does.
func NewMountFS(root FS, mounts []Mount) (*MountFS, error) {
	m := &MountFS{root: root}
	for _, mt := range mounts {
		mt.Path, mt.Dir = clean(mt.Path), clean(mt.Dir)
		if err := root.MkdirAll(mt.Path); err != nil {
			return nil, err
		}
		if err := mt.FS.MkdirAll(mt.Dir); err != nil {
			return nil, err
		}
		m.mounts = append(m.mounts, mt)
	}
	sort.SliceStable(m.mounts, func(i, j int) bool { return len(m.mounts[i].Path) > len(m.mounts[j].Path) })
	return m, nil
}

// route finds the file system a path is on and the path there.
func (m *MountFS) route(name string) (f FS, p string, mt *Mount) {
	name = clean(name)
	for i := range m.mounts {
		mt := &m.mounts[i]
		if name == mt.Path || strings.HasPrefix(name, mt.Path+"/") {
			return mt.FS, path.Join(mt.Dir, name[len(mt.Path):]), mt
		}
	}
	return m.root, name, nil
}

// writable refuses changes under a read-only mount and to a mount point.
func (m *MountFS) writable(op, name string, removing bool) (FS, string, error) {
	f, p, mt := m.route(name)
	switch {
	case mt == nil:
		return f, p, nil
	case mt.ReadOnly:
		return nil, "", &fs.PathError{Op: op, Path: clean(name), Err: errReadOnly}
	case removing && clean(name) == mt.Path:
		return nil, "", &fs.PathError{Op: op, Path: clean(name), Err: fs.ErrPermission}
	}
	return f, p, nil
}

// Stat describes a file; a mount point keeps its own name.
func (m *MountFS) Stat(name string) (fs.FileInfo, error) {
	f, p, mt := m.route(name)
	fi, err := f.Stat(p)
	if err == nil && mt != nil && clean(name) == mt.Path {
		fi = renamed{fi, path.Base(mt.Path)}
	}
	return fi, err
}

type renamed struct {
	fs.FileInfo
	name string
}

func (r renamed) Name() string { return r.name }

// ReadDir lists a directory.
func (m *MountFS) ReadDir(name string) ([]fs.DirEntry, error) {
	f, p, _ := m.route(name)
	return f.ReadDir(p)
}

// ReadFile returns a file's contents.
func (m *MountFS) ReadFile(name string) ([]byte, error) {
	f, p, _ := m.route(name)
	return f.ReadFile(p)
}

// MkdirAll creates a directory and its missing parents.
func (m *MountFS) MkdirAll(name string) error {
	f, p, err := m.writable("mkdir", name, false)
	if err != nil {
		return err
	}
	return f.MkdirAll(p)
}

// Remove removes a file or an empty directory.
func (m *MountFS) Remove(name string) error {
	f, p, err := m.writable("remove", name, true)
	if err != nil {
		return err
	}
	return f.Remove(p)
}

// RemoveAll removes a tree.
func (m *MountFS) RemoveAll(name string) error {
	f, p, err := m.writable("remove", name, true)
	if err != nil {
		return err
	}
	return f.RemoveAll(p)
}

// Exists reports whether a path exists.
func (m *MountFS) Exists(name string) bool {
	f, p, _ := m.route(name)
	return f.Exists(p)
}

func (m *MountFS) open(name string, flag int, perm fs.FileMode) (io.ReadWriteCloser, error) {
	if flag&(os.O_WRONLY|os.O_RDWR|os.O_CREATE|os.O_TRUNC) != 0 {
		f, p, err := m.writable("open", name, false)
		if err != nil {
			return nil, err
		}
		return f.open(p, flag, perm)
	}
	f, p, _ := m.route(name)
	return f.open(p, flag, perm)
}
