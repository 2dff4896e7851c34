package docker

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/kubeplay/kubeplay/engine/runtime"

	"github.com/moby/moby/api/types/mount"
)

// A pod's resolver configuration and hosts file are files in its folder,
// pods/<pod UID>/etc/, bind-mounted over /etc/resolv.conf and /etc/hosts
// of each of its containers, as the kubelet mounts its etc-hosts and
// containerd its resolv.conf; Docker then leaves its own out. The host
// name needs no file: a container joining the sandbox's network takes the
// sandbox's host name and /etc/hostname from Docker.

// writeResolvConf writes a new sandbox's resolv.conf, or removes an
// earlier sandbox's when the pod has none (it keeps Docker's).
func writeResolvConf(podDir string, dns *runtime.DNSConfig) (string, error) {
	file := filepath.Join(podDir, "etc", "resolv.conf")
	if dns == nil {
		if err := os.Remove(file); err != nil && !os.IsNotExist(err) {
			return "", err
		}
		return "", nil
	}
	if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
		return "", err
	}
	if err := os.WriteFile(file, dns.ResolvConf(), 0o644); err != nil {
		return "", fmt.Errorf("docker: the pod's resolv.conf: %w", err)
	}
	return file, nil
}

// etcMounts are the bind mounts of a new container's /etc/resolv.conf and
// /etc/hosts, after writing the hosts file the kubelet gave (the same for
// every container of the pod, written again for each, as the kubelet's
// ensureHostsFile does).
func (r *Runtime) etcMounts(sandboxID string, hosts []byte) ([]mount.Mount, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	sb := r.sandboxes[sandboxID]
	if sb == nil {
		return nil, nil
	}
	var out []mount.Mount
	if sb.resolvConf != "" {
		out = append(out, mount.Mount{Type: mount.TypeBind, Source: sb.resolvConf, Target: "/etc/resolv.conf"})
	}
	if hosts != nil {
		file := filepath.Join(sb.podDir, "etc", "hosts")
		if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
			return nil, err
		}
		if err := os.WriteFile(file, hosts, 0o644); err != nil {
			return nil, fmt.Errorf("docker: the pod's hosts file: %w", err)
		}
		out = append(out, mount.Mount{Type: mount.TypeBind, Source: file, Target: "/etc/hosts"})
	}
	return out, nil
}
