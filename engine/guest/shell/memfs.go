package shell

import (
	"errors"
	"io"
	"io/fs"
	"os"
	"path"
	"sort"
	"strings"
	"sync"
	"time"
)

// MemFS is a container's private file system, in memory.
//
// It is safe for concurrent use: a shell pipeline runs its stages in separate
// goroutines, and the engine may read or write files (volumes, probes) between
// two steps of a process. There are no symlinks, owners or times: every file
// belongs to root, and modification times are not recorded so that listings
// are the same on every run.
//
// It has a quota, as a container's writable layer or a volume has a size:
// a write past it fails with "No space left on device". The bytes of its
// files count, and each file or directory a little for its entry, so that
// neither a big file nor a million empty ones can fill the engine's memory.
//
// A new one is a layer over the image's directories (base), shared by every
// container, as an overlay's upper directory is over the image's layers:
// 100,000 containers do not each hold a /etc and a /usr/bin.
type MemFS struct {
	mu sync.Mutex
	// nodes are the file system's own entries, by clean absolute path; a
	// nil one hides the entry of base at that path (an overlay's whiteout).
	// See lookupLocked: "/" always exists.
	nodes map[string]*node
	// base is the read-only layer under nodes; neither the map nor its
	// nodes are ever changed. Nil after Free.
	base  map[string]*node
	quota int64 // bytes; see DefaultQuota
	used  int64
	disk  *Disk // shared with other file systems, when set
}

// DefaultQuota is the size of a new MemFS.
const DefaultQuota = 64 << 20

// entryCost is what a file or directory costs besides its contents.
func entryCost(name string) int64 { return int64(len(name)) + 64 }

// Disk is storage shared by many file systems, as a node's disk is by its
// containers: when it is full, every one of them is.
type Disk struct {
	mu         sync.Mutex
	size, used int64
}

// NewDisk returns a disk of size bytes.
func NewDisk(size int64) *Disk { return &Disk{size: size} }

// Used is how many bytes the file systems on the disk hold.
func (d *Disk) Used() int64 {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.used
}

func (d *Disk) take(n int64) bool {
	if d == nil {
		return true
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.used+n > d.size {
		return false
	}
	d.used += n
	return true
}

func (d *Disk) give(n int64) {
	if d == nil {
		return
	}
	d.mu.Lock()
	d.used -= n
	d.mu.Unlock()
}

// SetQuota sizes the file system (bytes) and puts it on disk (nil for
// none). What it holds already counts.
func (f *MemFS) SetQuota(quota int64, disk *Disk) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.disk.give(f.used)
	f.quota, f.disk = quota, disk
	disk.take(f.used)
}

// Used is how many bytes the file system holds.
func (f *MemFS) Used() int64 {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.used
}

// Free empties the file system and gives its space back to its disk: the
// runtime calls it when the container or volume is gone.
func (f *MemFS) Free() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.disk.give(f.used)
	f.used = 0
	f.nodes = map[string]*node{"/": f.lookupLocked("/")}
	f.base = nil
}

// lookupLocked is the node at a clean path, nil if there is none.
func (f *MemFS) lookupLocked(name string) *node {
	if n, own := f.nodes[name]; own {
		return n
	}
	return f.base[name]
}

// setLocked puts n at a clean path, in the file system's own layer.
func (f *MemFS) setLocked(name string, n *node) {
	if f.nodes == nil {
		f.nodes = map[string]*node{}
	}
	f.nodes[name] = n
}

// eachLocked calls fn for every entry, in no order: the own layer's, then
// those of base it does not hide. fn must not change the file system.
func (f *MemFS) eachLocked(fn func(name string, n *node)) {
	for p, n := range f.nodes {
		if n != nil {
			fn(p, n)
		}
	}
	for p, n := range f.base {
		if _, own := f.nodes[p]; !own {
			fn(p, n)
		}
	}
}

// growLocked makes room for n more bytes, or says there is none.
func (f *MemFS) growLocked(n int64) error {
	if n <= 0 {
		f.shrinkLocked(-n)
		return nil
	}
	if f.used+n > f.quota || !f.disk.take(n) {
		return ErrNoSpace
	}
	f.used += n
	return nil
}

// roomLocked is how many more bytes the file system can take.
func (f *MemFS) roomLocked() int64 {
	room := f.quota - f.used
	if f.disk != nil {
		f.disk.mu.Lock()
		room = min(room, f.disk.size-f.disk.used)
		f.disk.mu.Unlock()
	}
	return max(0, room)
}

func (f *MemFS) shrinkLocked(n int64) {
	f.used -= n
	f.disk.give(n)
}

// ErrNoSpace is ENOSPC: a file system's quota, or its disk, is full.
var ErrNoSpace = errors.New("no space left on device")

type node struct {
	dir  bool
	mode fs.FileMode // permission bits only
	data []byte
	// shared says data is shared with other file systems and never
	// changed: a write copies it first, as for a file of base.
	shared bool
}

// NewMemFS returns a file system with the directories a small Linux image has,
// so that scripts writing to /tmp or cd-ing to $HOME work without set-up.
// They are a layer shared with every other MemFS; each counts them in its
// own quota, as it would a copy.
func NewMemFS() *MemFS {
	return &MemFS{base: skeleton, quota: DefaultQuota, used: skeletonCost}
}

// skeleton is the image layer of every new MemFS, and skeletonCost what
// its entries count against a quota.
var skeleton, skeletonCost = func() (map[string]*node, int64) {
	dirs := []string{"/", "/bin", "/dev", "/etc", "/proc", "/root", "/tmp", "/usr", "/usr/bin", "/var"}
	base, cost := make(map[string]*node, len(dirs)), int64(0)
	for _, d := range dirs {
		base[d] = &node{dir: true, mode: 0o755}
		if d != "/" {
			cost += entryCost(d)
		}
	}
	base["/tmp"].mode = 0o777
	return base, cost
}()

// clean makes p absolute and clean; relative paths are taken from "/".
func clean(p string) string {
	if !strings.HasPrefix(p, "/") {
		p = "/" + p
	}
	return path.Clean(p)
}

// WriteFile creates or replaces a file, creating missing parent directories
// (the engine uses it to mount ConfigMap and Secret files).
func (f *MemFS) WriteFile(name string, data []byte, perm fs.FileMode) error {
	name = clean(name)
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.makeRoomLocked(name, int64(len(data))); err != nil {
		return err
	}
	f.setLocked(name, &node{mode: perm.Perm(), data: append([]byte(nil), data...)})
	return nil
}

// makeRoomLocked readies a clean path for a file of size bytes: its
// parent directories made, and room taken for it, less what the file
// there held.
func (f *MemFS) makeRoomLocked(name string, size int64) error {
	if err := f.mkdirAllLocked(path.Dir(name), "writefile"); err != nil {
		return err
	}
	old := f.lookupLocked(name)
	if old != nil && old.dir {
		return &fs.PathError{Op: "writefile", Path: name, Err: errIsDir}
	}
	grow := size
	if old != nil {
		grow -= int64(len(old.data))
	} else {
		grow += entryCost(name)
	}
	if err := f.growLocked(grow); err != nil {
		return &fs.PathError{Op: "writefile", Path: name, Err: err}
	}
	return nil
}

// SharedFile is a file for WriteShared: its data is shared with other
// file systems, and no one may change it.
type SharedFile struct {
	Name string
	Data []byte
}

// WriteShared creates or replaces files (mode 0644) whose contents are
// shared, not copied: what the runtime writes alike into many containers
// (/etc/resolv.conf of a namespace, a pod's /etc/hosts in each of its
// containers and their restarts). A write to one copies it first.
func (f *MemFS) WriteShared(files ...SharedFile) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	nodes := make([]node, len(files)) // one allocation for them all
	for i, file := range files {
		name := clean(file.Name)
		if err := f.makeRoomLocked(name, int64(len(file.Data))); err != nil {
			return err
		}
		nodes[i] = node{mode: 0o644, data: file.Data, shared: true}
		f.setLocked(name, &nodes[i])
	}
	return nil
}

// ReadFile returns a copy of a file's contents.
func (f *MemFS) ReadFile(name string) ([]byte, error) {
	name = clean(name)
	f.mu.Lock()
	defer f.mu.Unlock()
	n := f.lookupLocked(name)
	switch {
	case n == nil:
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
	case n.dir:
		return nil, &fs.PathError{Op: "read", Path: name, Err: errIsDir}
	}
	return append([]byte(nil), n.data...), nil
}

// MkdirAll creates a directory and its missing parents.
func (f *MemFS) MkdirAll(name string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.mkdirAllLocked(clean(name), "mkdir")
}

func (f *MemFS) mkdirAllLocked(name, op string) error {
	if n := f.lookupLocked(name); n != nil {
		if !n.dir {
			return &fs.PathError{Op: op, Path: name, Err: errNotDir}
		}
		return nil
	}
	if err := f.mkdirAllLocked(path.Dir(name), op); err != nil {
		return err
	}
	if err := f.growLocked(entryCost(name)); err != nil {
		return &fs.PathError{Op: op, Path: name, Err: err}
	}
	f.setLocked(name, &node{dir: true, mode: 0o755})
	return nil
}

// Remove removes a file or an empty directory.
func (f *MemFS) Remove(name string) error {
	name = clean(name)
	f.mu.Lock()
	defer f.mu.Unlock()
	n := f.lookupLocked(name)
	switch {
	case n == nil:
		return &fs.PathError{Op: "remove", Path: name, Err: fs.ErrNotExist}
	case name == "/":
		return &fs.PathError{Op: "remove", Path: name, Err: fs.ErrPermission}
	case n.dir && len(f.childrenLocked(name)) > 0:
		return &fs.PathError{Op: "remove", Path: name, Err: errNotEmpty}
	}
	f.deleteLocked(name, n)
	return nil
}

// deleteLocked removes one node and gives its space back.
func (f *MemFS) deleteLocked(name string, n *node) {
	if _, inBase := f.base[name]; inBase {
		f.setLocked(name, nil)
	} else {
		delete(f.nodes, name)
	}
	f.shrinkLocked(entryCost(name) + int64(len(n.data)))
}

// RemoveAll removes a file or a directory tree; a missing path is no error.
func (f *MemFS) RemoveAll(name string) error {
	name = clean(name)
	if name == "/" {
		return &fs.PathError{Op: "remove", Path: name, Err: fs.ErrPermission}
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	prefix := name + "/"
	type entry struct {
		name string
		n    *node
	}
	var gone []entry
	f.eachLocked(func(p string, n *node) {
		if p == name || strings.HasPrefix(p, prefix) {
			gone = append(gone, entry{p, n})
		}
	})
	for _, e := range gone {
		f.deleteLocked(e.name, e.n)
	}
	return nil
}

// Exists reports whether a file or directory exists.
func (f *MemFS) Exists(name string) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.lookupLocked(clean(name)) != nil
}

// childrenLocked returns the sorted base names in directory dir.
func (f *MemFS) childrenLocked(dir string) []string {
	prefix := dir + "/"
	if dir == "/" {
		prefix = "/"
	}
	var names []string
	f.eachLocked(func(p string, _ *node) {
		if p != "/" && strings.HasPrefix(p, prefix) && !strings.Contains(p[len(prefix):], "/") {
			names = append(names, p[len(prefix):])
		}
	})
	sort.Strings(names)
	return names
}

var (
	errIsDir    = errors.New("is a directory")
	errNotDir   = errors.New("not a directory")
	errNotEmpty = errors.New("directory not empty")
)

// fileInfo implements fs.FileInfo and fs.DirEntry for MemFS nodes.
type fileInfo struct {
	name string
	size int64
	mode fs.FileMode
}

func (i fileInfo) Name() string               { return i.name }
func (i fileInfo) Size() int64                { return i.size }
func (i fileInfo) Mode() fs.FileMode          { return i.mode }
func (i fileInfo) ModTime() time.Time         { return time.Time{} }
func (i fileInfo) IsDir() bool                { return i.mode.IsDir() }
func (i fileInfo) Sys() any                   { return nil }
func (i fileInfo) Type() fs.FileMode          { return i.mode.Type() }
func (i fileInfo) Info() (fs.FileInfo, error) { return i, nil }

func (n *node) info(name string) fileInfo {
	fi := fileInfo{name: path.Base(name), size: int64(len(n.data)), mode: n.mode}
	if n.dir {
		fi.mode |= fs.ModeDir
		fi.size = 4096
	}
	return fi
}

// Stat describes a file; /dev/null and friends are character devices.
func (f *MemFS) Stat(name string) (fs.FileInfo, error) {
	name = clean(name)
	if isDevice(name) {
		return fileInfo{name: path.Base(name), mode: fs.ModeDevice | fs.ModeCharDevice | 0o666}, nil
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	n := f.lookupLocked(name)
	if n == nil {
		return nil, &fs.PathError{Op: "stat", Path: name, Err: fs.ErrNotExist}
	}
	return n.info(name), nil
}

// ReadDir lists a directory, sorted by name as ls and globs expect.
func (f *MemFS) ReadDir(name string) ([]fs.DirEntry, error) {
	name = clean(name)
	f.mu.Lock()
	defer f.mu.Unlock()
	n := f.lookupLocked(name)
	switch {
	case n == nil:
		return nil, &fs.PathError{Op: "readdir", Path: name, Err: fs.ErrNotExist}
	case !n.dir:
		return nil, &fs.PathError{Op: "readdir", Path: name, Err: errNotDir}
	}
	var out []fs.DirEntry
	for _, c := range f.childrenLocked(name) {
		out = append(out, f.lookupLocked(path.Join(name, c)).info(c))
	}
	return out, nil
}

func isDevice(name string) bool {
	switch name {
	case "/dev/null", "/dev/zero", "/dev/stdout", "/dev/stderr", "/dev/stdin":
		return true
	}
	return false
}

// open opens a file with os.OpenFile-style flags. Errors are *fs.PathError
// whose Err says what went wrong; callers turn them into busybox wording.
func (f *MemFS) open(name string, flag int, perm fs.FileMode) (io.ReadWriteCloser, error) {
	name = clean(name)
	f.mu.Lock()
	defer f.mu.Unlock()
	n := f.lookupLocked(name)
	write := flag&(os.O_WRONLY|os.O_RDWR) != 0
	if n == nil {
		if flag&os.O_CREATE == 0 {
			return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
		}
		parent := f.lookupLocked(path.Dir(name))
		if parent == nil || !parent.dir {
			return nil, &fs.PathError{Op: "create", Path: name, Err: errNoDir}
		}
		if err := f.growLocked(entryCost(name)); err != nil {
			return nil, &fs.PathError{Op: "create", Path: name, Err: err}
		}
		n = &node{mode: perm.Perm()}
		if n.mode == 0 {
			n.mode = 0o644
		}
		f.setLocked(name, n)
	} else if flag&(os.O_CREATE|os.O_EXCL) == os.O_CREATE|os.O_EXCL {
		return nil, &fs.PathError{Op: "create", Path: name, Err: fs.ErrExist}
	}
	if n.dir && write {
		return nil, &fs.PathError{Op: "create", Path: name, Err: errIsDir}
	}
	if _, own := f.nodes[name]; (!own || n.shared) && write {
		// Copy up a file of base (or a shared one) before it changes, as
		// an overlay does.
		n = &node{mode: n.mode, data: append([]byte(nil), n.data...)}
		f.setLocked(name, n)
	}
	if flag&os.O_TRUNC != 0 && write {
		f.shrinkLocked(int64(len(n.data)))
		n.data = nil
	}
	return &handle{fs: f, n: n, name: name, write: write, read: flag&os.O_WRONLY == 0, appendMode: flag&os.O_APPEND != 0}, nil
}

// errNoDir is busybox's wording for a missing parent directory.
var errNoDir = errors.New("nonexistent directory")

// handle is an open MemFS file. Reads and writes go straight to the node, so
// a reader sees what a concurrent pipeline stage wrote, as with a real file.
type handle struct {
	fs         *MemFS
	n          *node
	name       string
	off        int
	read       bool
	write      bool
	appendMode bool
}

func (h *handle) Read(p []byte) (int, error) {
	h.fs.mu.Lock()
	defer h.fs.mu.Unlock()
	if h.n.dir {
		return 0, errIsDir
	}
	if !h.read {
		return 0, fs.ErrPermission
	}
	if h.off >= len(h.n.data) {
		return 0, io.EOF
	}
	c := copy(p, h.n.data[h.off:])
	h.off += c
	return c, nil
}

func (h *handle) Write(p []byte) (int, error) {
	h.fs.mu.Lock()
	defer h.fs.mu.Unlock()
	if !h.write {
		return 0, fs.ErrPermission
	}
	if h.appendMode {
		h.off = len(h.n.data)
	}
	if h.fs.lookupLocked(h.name) != h.n {
		// Removed while open: on a real disk it would take space until
		// closed; here what is written to it is dropped, so that it
		// cannot grow past every quota.
		return len(p), nil
	}
	var full error
	if grow := int64(h.off + len(p) - len(h.n.data)); grow > 0 {
		if room := h.fs.roomLocked(); grow > room {
			// Write what fits, as the kernel does, then fail.
			keep := int64(len(p)) - (grow - room)
			if keep <= 0 {
				return 0, ErrNoSpace
			}
			p, grow, full = p[:keep], room, ErrNoSpace
		}
		if err := h.fs.growLocked(grow); err != nil {
			return 0, err
		}
	}
	end := h.off + len(p)
	if end > len(h.n.data) {
		h.n.data = append(h.n.data, make([]byte, end-len(h.n.data))...)
	}
	copy(h.n.data[h.off:], p)
	h.off = end
	return len(p), full
}

func (h *handle) Close() error { return nil }
