package docker

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/kubeplay/kubeplay/engine/runtime"

	"github.com/moby/moby/api/types/container"
	"github.com/moby/moby/api/types/mount"
	"github.com/moby/moby/client"
)

// Volumes are bind mounts of folders under the cluster's own folder,
// <user cache>/kubeplay/<cluster>/:
//
//	pods/<pod UID>/volumes/<name>   an emptyDir, kept across the pod's
//	                                sandboxes, removed with the pod
//	nodes/<node>/hostpath/<path>    a hostPath, kept across pods
//	persistent/<PV name>            a PersistentVolume's data, shared by
//	                                every node, kept until RemovePersistent
//
// A hostPath never reaches the host's real path. The whole folder goes
// with the cluster (Close of its last node, Reap, CleanupAll).

// ownerFile, in a cluster's folder, says which process made it
// ("<host> <pid>"), so that Reap can tell a dead run's folder.
const ownerFile = "kubeplay-owner"

// StateRoot is the folder under which every cluster's folder is.
func StateRoot() (string, error) {
	dir, err := os.UserCacheDir()
	if err != nil {
		return "", fmt.Errorf("docker: no folder for volumes: %w", err)
	}
	return filepath.Join(dir, "kubeplay"), nil
}

// sandboxState is what the runtime keeps of a pod sandbox.
type sandboxState struct {
	volumes    map[string]string // host folder by volume name
	dead       bool              // its end was reported
	podDir     string            // the pod's folder
	resolvConf string            // the pod's resolv.conf, if it has one
	// ip, pod (namespace/name) and podUID are what the pod's containers
	// are made with: known from the sandbox's start, not asked again of
	// the daemon for each container.
	ip, pod, podUID string
}

// ensureStateDir makes the cluster's folder and says who owns it.
func (r *Runtime) ensureStateDir() error {
	if r.cfg.StateDir == "" {
		root, err := StateRoot()
		if err != nil {
			return err
		}
		r.cfg.StateDir = filepath.Join(root, r.cfg.ClusterID)
	}
	if err := os.MkdirAll(r.cfg.StateDir, 0o755); err != nil {
		return fmt.Errorf("docker: make the cluster's folder: %w", err)
	}
	host, _ := os.Hostname()
	owner := filepath.Join(r.cfg.StateDir, ownerFile)
	if _, err := os.Stat(owner); err == nil {
		return nil
	}
	return os.WriteFile(owner, []byte(host+" "+strconv.Itoa(os.Getpid())+"\n"), 0o644)
}

// StateDir is the cluster's folder, where its volumes are.
func (r *Runtime) StateDir() string { return r.cfg.StateDir }

// within joins rel under dir, refusing a path that leaves it.
func within(dir, rel string) (string, error) {
	p := filepath.Join(dir, filepath.Clean("/"+rel))
	if p != dir && !strings.HasPrefix(p, dir+string(filepath.Separator)) {
		return "", fmt.Errorf("path %q leaves the volume", rel)
	}
	return p, nil
}

// errLeaves is a mount path that a symlink leads out of its folder.
var errLeaves = errors.New("a symlink in it leads out of kubeplay's folder for it: kubeplay mounts no path of the host itself")

// beneath is the real path of rel under base, its symlinks followed as
// the daemon would follow them — made, folder by folder, where it is
// missing — or errLeaves if one leads out of base. A container can plant
// symlinks in what it mounts (a hostPath of /, an emptyDir); a later mount
// of the path must not reach the host through them. The path is checked
// here and the resolved one, which holds no symlink, handed to the daemon.
func beneath(base, rel string) (string, error) {
	if err := os.MkdirAll(base, 0o755); err != nil {
		return "", err
	}
	realBase, err := filepath.EvalSymlinks(base)
	if err != nil {
		return "", err
	}
	p := realBase
	for _, part := range strings.Split(filepath.Clean("/"+rel), "/") {
		if part == "" {
			continue
		}
		next := filepath.Join(p, part)
		fi, err := os.Lstat(next)
		switch {
		case errors.Is(err, fs.ErrNotExist):
			// Open to every user: the container's processes may not run
			// as the user who runs kubeplay.
			if err := os.Mkdir(next, 0o777); err != nil && !errors.Is(err, fs.ErrExist) {
				return "", err
			}
			_ = os.Chmod(next, 0o777)
			if fi, err = os.Lstat(next); err != nil {
				return "", err
			}
		case err != nil:
			return "", err
		}
		if fi.Mode()&fs.ModeSymlink != 0 {
			target, err := filepath.EvalSymlinks(next)
			if err != nil || (target != realBase && !strings.HasPrefix(target, realBase+string(filepath.Separator))) {
				return "", errLeaves
			}
			next = target
		}
		p = next
	}
	return p, nil
}

// makeVolumes creates a pod's volume folders and returns the sandbox's
// state, and a notice for the user the first time a hostPath is used.
func (r *Runtime) makeVolumes(cfg runtime.SandboxConfig) (*sandboxState, string, error) {
	podDir, err := within(filepath.Join(r.cfg.StateDir, "pods"), cfg.PodUID)
	if err != nil {
		return nil, "", err
	}
	r.mu.Lock()
	r.podDirs[cfg.PodUID] = podDir
	r.mu.Unlock()
	sb := &sandboxState{volumes: map[string]string{}, podDir: podDir}
	if sb.resolvConf, err = writeResolvConf(podDir, cfg.DNS); err != nil {
		return nil, "", err
	}
	var notices []string
	for _, v := range cfg.Volumes {
		dir := filepath.Join(podDir, "volumes", v.Name)
		if v.Persistent != "" {
			if dir, err = r.persistentDir(v.Persistent); err != nil {
				return nil, "", err
			}
		}
		if v.HostPath != "" {
			if dir, err = beneath(filepath.Join(r.cfg.StateDir, "nodes", r.cfg.Node, "hostpath"), v.HostPath); err != nil {
				return nil, "", &runtime.MountError{Volume: v.Name, Err: fmt.Errorf("hostPath %s: %w", v.HostPath, err)}
			}
			r.mu.Lock()
			told := r.toldHostPath
			r.toldHostPath = true
			r.mu.Unlock()
			if !told {
				notices = append(notices, fmt.Sprintf("hostPath %s is the folder %s: kubeplay never mounts the host's real paths; the folder lasts as long as the cluster", v.HostPath, dir))
			}
		}
		if v.Files != nil {
			// A ConfigMap's or Secret's files are written afresh; it is
			// mounted read-only, so no container wrote in it.
			_ = os.RemoveAll(dir)
		}
		// Open to every user: the container's processes may not run as
		// the user who runs kubeplay.
		if err := os.MkdirAll(dir, 0o777); err != nil {
			return nil, "", fmt.Errorf("docker: volume %s: %w", v.Name, err)
		}
		_ = os.Chmod(dir, 0o777)
		for name, data := range v.Files {
			file, err := within(dir, name)
			if err == nil {
				err = os.MkdirAll(filepath.Dir(file), 0o755)
			}
			if err == nil {
				err = os.WriteFile(file, data, 0o644)
			}
			if err != nil {
				return nil, "", fmt.Errorf("docker: volume %s: %w", v.Name, err)
			}
		}
		sb.volumes[v.Name] = dir
	}
	return sb, strings.Join(notices, "; "), nil
}

func (r *Runtime) persistentDir(name string) (string, error) {
	return within(filepath.Join(r.cfg.StateDir, "persistent"), name)
}

// RemovePersistent implements runtime.PersistentStore: it removes a
// PersistentVolume's folder, files a container wrote as root included.
func (r *Runtime) RemovePersistent(name string) error {
	dir, err := r.persistentDir(name)
	if err != nil {
		return err
	}
	return r.removeTree(dir)
}

// binds are a container's volume mounts as Docker bind mounts.
func (r *Runtime) binds(sandboxID, container string, ms []runtime.Mount) ([]mount.Mount, error) {
	if len(ms) == 0 {
		return nil, nil
	}
	r.mu.Lock()
	sb := r.sandboxes[sandboxID]
	r.mu.Unlock()
	if sb == nil {
		return nil, fmt.Errorf("docker: sandbox %s has no volumes known to this runtime", short(sandboxID))
	}
	var out []mount.Mount
	for _, m := range ms {
		src, ok := sb.volumes[m.Volume]
		if !ok {
			return nil, fmt.Errorf("volume %q is not a volume of the pod", m.Volume)
		}
		if m.SubPath != "" {
			var err error
			if src, err = beneath(src, m.SubPath); err != nil {
				return nil, &runtime.MountError{Volume: m.Volume, Container: container, Err: err}
			}
		}
		out = append(out, mount.Mount{Type: mount.TypeBind, Source: src, Target: m.Path, ReadOnly: m.ReadOnly})
	}
	return out, nil
}

// forgetSandbox drops a sandbox's state; the pod's folder stays for its
// next sandbox.
func (r *Runtime) forgetSandbox(id string) {
	r.mu.Lock()
	delete(r.sandboxes, id)
	r.mu.Unlock()
}

// RemovePodVolumes implements runtime.Runtime: it removes the pod's
// folder, files a container wrote as root included.
func (r *Runtime) RemovePodVolumes(podUID string) error {
	r.mu.Lock()
	dir, ok := r.podDirs[podUID]
	delete(r.podDirs, podUID)
	r.mu.Unlock()
	if !ok {
		return nil
	}
	return r.removeTree(dir)
}

// removeTree removes a folder kubeplay made. Files a container wrote as
// root in it may not be the user's to remove: then a short-lived
// container of kubeplay's sandbox image removes them.
func (r *Runtime) removeTree(dir string) error {
	err := os.RemoveAll(dir)
	if err == nil || !errors.Is(err, os.ErrPermission) || r.cfg.Images == nil {
		return err
	}
	ctx, cancel := call()
	defer cancel()
	image, _, ierr := r.cfg.Images.Sandbox(ctx)
	if ierr != nil {
		return err
	}
	labels := merged(r.cfg.Labels, r.labels)
	labels[LabelRole] = "cleanup"
	c, cerr := r.cli.ContainerCreate(ctx, client.ContainerCreateOptions{
		Config: &container.Config{Image: image.Ref, Entrypoint: []string{"/bin/rm", "-rf", "/v/" + filepath.Base(dir)}, Labels: labels},
		HostConfig: confined(container.HostConfig{NetworkMode: "none",
			Mounts: []mount.Mount{{Type: mount.TypeBind, Source: filepath.Dir(dir), Target: "/v"}}}),
	})
	if cerr != nil {
		return err
	}
	defer r.remove(c.ID)
	if _, cerr := r.cli.ContainerStart(ctx, c.ID, client.ContainerStartOptions{}); cerr != nil {
		return err
	}
	wait := r.cli.ContainerWait(ctx, c.ID, client.ContainerWaitOptions{})
	select {
	case <-wait.Result:
	case <-wait.Error:
	}
	return os.RemoveAll(dir)
}

// reapFolders removes the folders of clusters whose run on this host is
// gone (all of them with all set), and returns their names.
func reapFolders(all bool) []string {
	root, err := StateRoot()
	if err != nil {
		return nil
	}
	entries, err := os.ReadDir(root)
	if err != nil {
		return nil
	}
	host, _ := os.Hostname()
	var removed []string
	for _, e := range entries {
		dir := filepath.Join(root, e.Name())
		owner, err := os.ReadFile(filepath.Join(dir, ownerFile))
		if !e.IsDir() || err != nil {
			continue // not a folder kubeplay made for a cluster
		}
		h, p, _ := strings.Cut(strings.TrimSpace(string(owner)), " ")
		pid, err := strconv.Atoi(p)
		if !all && (err != nil || h != host || pid == os.Getpid() || pidAlive(pid)) {
			continue
		}
		if os.RemoveAll(dir) == nil {
			removed = append(removed, dir)
		}
	}
	return removed
}

// closeFolders removes what Close leaves of a cluster's folder: the pod
// folders of this node, and the whole folder once the cluster is gone.
func (r *Runtime) closeFolders(ctx context.Context, clusterGone bool) error {
	r.mu.Lock()
	var uids []string
	for uid := range r.podDirs {
		uids = append(uids, uid)
	}
	r.mu.Unlock()
	var first error
	for _, uid := range uids {
		if err := r.RemovePodVolumes(uid); err != nil && first == nil {
			first = err
		}
	}
	if clusterGone && ctx.Err() == nil {
		if err := r.removeTree(r.cfg.StateDir); err != nil && first == nil {
			first = err
		}
	}
	return first
}
