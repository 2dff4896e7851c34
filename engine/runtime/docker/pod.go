package docker

import (
	"context"
	"fmt"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync/atomic"
	"time"

	"github.com/kubeplay/kubeplay/engine/runtime"

	cerrdefs "github.com/containerd/errdefs"
	"github.com/moby/moby/api/types/container"
	"github.com/moby/moby/api/types/mount"
	"github.com/moby/moby/client"
)

// seq makes container names unique within a process; the cluster ID in
// the name makes them unique across runs.
var seq atomic.Uint64

var unsafeName = regexp.MustCompile(`[^a-zA-Z0-9_.-]+`)

// name is a container name `docker ps` users can read:
// kubeplay_<cluster>_<pod>_<namespace>_<container>_<n>.
func (r *Runtime) name(pod, namespace, container string) string {
	n := fmt.Sprintf("kubeplay_%s_%s_%s_%s_%d", r.cfg.ClusterID, pod, namespace, container, seq.Add(1))
	return unsafeName.ReplaceAllString(n, "-")
}

// podLabels are the labels of every container of a pod.
func (r *Runtime) podLabels(role, podKey, podUID string) map[string]string {
	l := merged(r.cfg.Labels, r.labels)
	l[LabelRole], l[LabelPod], l[LabelPodUID] = role, podKey, podUID
	return l
}

// confined is the part of a host config every kubeplay container shares:
// nothing privileged, no host namespaces, no restarts behind the kubelet's
// back, and no new privileges through setuid binaries.
func confined(hc container.HostConfig) *container.HostConfig {
	hc.Privileged = false
	hc.RestartPolicy = container.RestartPolicy{Name: container.RestartPolicyDisabled}
	hc.SecurityOpt = append(hc.SecurityOpt, "no-new-privileges")
	return &hc
}

// RunSandbox implements runtime.Runtime: a pause container on the
// cluster's network, whose IP is the pod IP.
func (r *Runtime) RunSandbox(cfg runtime.SandboxConfig) (runtime.Sandbox, error) {
	if r.cfg.Images == nil {
		return runtime.Sandbox{}, fmt.Errorf("docker: no sandbox image: the runtime was made without an image source")
	}
	end, err := r.beginCreate()
	if err != nil {
		return runtime.Sandbox{}, err
	}
	defer end()
	vols, notice, err := r.makeVolumes(cfg)
	if err != nil {
		return runtime.Sandbox{}, err
	}
	ctx, cancel := call()
	defer cancel()
	capAdd, proxyMount, proxyEnv, err := r.sandboxProxy(cfg.PodName)
	if err != nil {
		return runtime.Sandbox{}, err
	}
	podKey := cfg.Namespace + "/" + cfg.PodName
	create := func(pause *pauseImage) (client.ContainerCreateResult, error) {
		return r.cli.ContainerCreate(ctx, client.ContainerCreateOptions{
			Name: r.name(cfg.PodName, cfg.Namespace, "POD"),
			Config: &container.Config{Image: pause.Ref, Entrypoint: pause.cmd, Hostname: cfg.Hostname, Env: proxyEnv,
				Labels: r.podLabels("sandbox", podKey, cfg.PodUID)},
			// NET_ADMIN is over the sandbox's own network namespace: its proxy
			// writes the pod's nftables rules there. The pod's containers join
			// the namespace without it.
			HostConfig: confined(container.HostConfig{NetworkMode: container.NetworkMode(r.cfg.Network),
				CapAdd: capAdd, Mounts: r.withBinary(pause.Image, []mount.Mount{proxyMount})}),
			NetworkingConfig: r.networkEndpoint(),
		})
	}
	pause, cached, err := r.sandboxImage(ctx)
	if err != nil {
		return runtime.Sandbox{}, fmt.Errorf("docker: sandbox image: %w", err)
	}
	created, err := create(pause)
	if cached && cerrdefs.IsNotFound(err) {
		// The image went since it was made sure of (an rmi -f): the
		// image source makes it again.
		r.forgetSandboxImage()
		if pause, _, err = r.sandboxImage(ctx); err != nil {
			return runtime.Sandbox{}, fmt.Errorf("docker: sandbox image: %w", err)
		}
		created, err = create(pause)
	}
	if err != nil {
		return runtime.Sandbox{}, fmt.Errorf("docker: create sandbox for pod %s: %w", cfg.PodName, err)
	}
	fail := func(err error) (runtime.Sandbox, error) {
		r.remove(created.ID)
		return runtime.Sandbox{}, fmt.Errorf("docker: start sandbox for pod %s: %w", cfg.PodName, err)
	}
	if _, err := r.cli.ContainerStart(ctx, created.ID, client.ContainerStartOptions{}); err != nil {
		return fail(err)
	}
	ins, err := r.cli.ContainerInspect(ctx, created.ID, client.ContainerInspectOptions{})
	if err != nil {
		return fail(err)
	}
	ep := ins.Container.NetworkSettings.Networks[r.cfg.Network]
	if ep == nil || !ep.IPAddress.IsValid() {
		return fail(fmt.Errorf("it has no IP on network %s", r.cfg.Network))
	}
	if n := r.proxyNotice(created.ID); n != "" {
		notice = strings.TrimPrefix(strings.Join([]string{notice, n}, "; "), "; ")
	}
	vols.ip, vols.pod, vols.podUID = ep.IPAddress.String(), podKey, cfg.PodUID
	r.mu.Lock()
	r.sandboxes[created.ID] = vols
	r.mu.Unlock()
	return runtime.Sandbox{ID: created.ID, IP: vols.ip, Notice: notice}, nil
}

// pauseImage is the sandbox image and its command.
type pauseImage struct {
	Image
	cmd []string
}

// sandboxImage is the sandbox image, asked of the image source once: it
// is pinned to this binary, so what the source made sure of stays so
// unless the image is removed, which a failed create tells (cached).
func (r *Runtime) sandboxImage(ctx context.Context) (pause *pauseImage, cached bool, err error) {
	r.mu.Lock()
	pause = r.pause
	r.mu.Unlock()
	if pause != nil {
		return pause, true, nil
	}
	img, cmd, err := r.cfg.Images.Sandbox(ctx)
	if err != nil {
		return nil, false, err
	}
	pause = &pauseImage{Image: img, cmd: cmd}
	r.mu.Lock()
	r.pause = pause
	r.mu.Unlock()
	return pause, false, nil
}

func (r *Runtime) forgetSandboxImage() {
	r.mu.Lock()
	r.pause = nil
	r.mu.Unlock()
}

// RemoveSandbox implements runtime.Runtime. The pod's containers go first:
// removing the sandbox does not stop the containers that joined it.
func (r *Runtime) RemoveSandbox(id string) error {
	ctx, cancel := call()
	defer cancel()
	ids, err := r.list(ctx, LabelSandbox+"="+id)
	if err != nil {
		return err
	}
	for _, c := range ids {
		r.remove(c.ID)
	}
	if err := r.remove(id); err != nil {
		return err
	}
	r.forgetSandbox(id)
	return nil
}

// CreateContainer implements runtime.Runtime. Command and Args become the
// entrypoint and command, as Kubernetes maps them.
func (r *Runtime) CreateContainer(sandboxID string, cfg runtime.ContainerConfig) (string, error) {
	end, err := r.beginCreate()
	if err != nil {
		return "", err
	}
	defer end()
	binds, err := r.binds(sandboxID, cfg.Name, cfg.Mounts)
	if err != nil {
		return "", err
	}
	etc, err := r.etcMounts(sandboxID, cfg.HostsFile)
	if err != nil {
		return "", err
	}
	for _, m := range etc {
		if !slices.ContainsFunc(binds, func(b mount.Mount) bool { return b.Target == m.Target }) {
			binds = append(binds, m) // a volume of the pod's own there wins
		}
	}
	ctx, cancel := call()
	defer cancel()
	ip, podKey, podUID, err := r.sandboxOf(ctx, sandboxID)
	if err != nil {
		return "", err
	}
	labels := r.podLabels("container", podKey, podUID)
	labels[LabelContainer], labels[LabelSandbox] = cfg.Name, sandboxID

	image := r.resolve(cfg.Image)
	// The image the pod asked for, so that a demo app standing in for it
	// can say what it plays and take its version from the tag.
	env := []string{"KUBEPLAY_IMAGE=" + cfg.Image}
	for _, e := range cfg.Env {
		env = append(env, e.Name+"="+e.Value)
	}
	hc := container.HostConfig{NetworkMode: container.NetworkMode("container:" + sandboxID), Mounts: r.withBinary(image, binds),
		// Rotated as the kubelet rotates, whatever the daemon's default:
		// a chatty container fills no disk, and `logs -f` follows on.
		LogConfig: container.LogConfig{Type: "json-file", Config: map[string]string{"max-size": r.cfg.LogMaxSize, "max-file": "5"}}}
	if cfg.MemoryLimit > 0 {
		// No swap on top, so a container over its limit is OOM-killed, as
		// on a Kubernetes node.
		hc.Memory, hc.MemorySwap = cfg.MemoryLimit, cfg.MemoryLimit
	}
	hc.NanoCPUs = cfg.CPULimit * 1_000_000
	ns, pod, _ := strings.Cut(podKey, "/")
	// An empty, non-nil command or args would replace the image's own with
	// nothing ("No command specified"): Kubernetes keeps the image's.
	var entrypoint, cmd []string
	if len(cfg.Command) > 0 {
		entrypoint = cfg.Command
	}
	if len(cfg.Args) > 0 {
		cmd = cfg.Args
	}
	created, err := r.cli.ContainerCreate(ctx, client.ContainerCreateOptions{
		Name: r.name(pod, ns, cfg.Name),
		Config: &container.Config{Image: image.Ref, Entrypoint: entrypoint, Cmd: cmd, Env: env,
			WorkingDir: cfg.WorkingDir, Labels: labels},
		HostConfig: confined(hc),
	})
	if err != nil {
		return "", fmt.Errorf("docker: create container %s: %w", cfg.Name, err)
	}
	var sources []bindSource
	for _, b := range binds {
		real, err := filepath.EvalSymlinks(b.Source)
		if err != nil {
			return "", fmt.Errorf("docker: mount source %s: %w", b.Source, err)
		}
		sources = append(sources, bindSource{b.Source, real})
	}
	r.mu.Lock()
	c := &ctr{ip: ip, binds: sources, announces: image.Announces && len(cfg.Command) == 0}
	if image.StandIn != "" {
		c.plays = cfg.Image
	}
	r.containers[created.ID] = c
	r.mu.Unlock()
	return created.ID, nil
}

// sandboxOf is the pod IP and the pod (namespace/name, UID) of a sandbox:
// as its start found them, or from the daemon for a sandbox this runtime
// did not start.
func (r *Runtime) sandboxOf(ctx context.Context, id string) (ip, pod, podUID string, err error) {
	r.mu.Lock()
	sb := r.sandboxes[id]
	r.mu.Unlock()
	if sb != nil && sb.pod != "" {
		return sb.ip, sb.pod, sb.podUID, nil
	}
	ins, err := r.cli.ContainerInspect(ctx, id, client.ContainerInspectOptions{})
	if err != nil {
		return "", "", "", fmt.Errorf("docker: sandbox %s: %w", id, err)
	}
	if ep := ins.Container.NetworkSettings.Networks[r.cfg.Network]; ep != nil {
		ip = ep.IPAddress.String()
	}
	labels := ins.Container.Config.Labels
	return ip, labels[LabelPod], labels[LabelPodUID], nil
}

// bindSource is a bind mount's source and where it led at create.
type bindSource struct{ path, real string }

// StartContainer implements runtime.Runtime.
func (r *Runtime) StartContainer(id string) error {
	r.mu.Lock()
	var sources []bindSource
	announces := false
	if c := r.containers[id]; c != nil {
		sources, announces = c.binds, c.announces
	}
	r.mu.Unlock()
	// The daemon follows symlinks when it mounts, at start: a folder
	// swapped for a link since the create (by a container that mounts its
	// parent) must not take the mount elsewhere.
	for _, b := range sources {
		if real, err := filepath.EvalSymlinks(b.path); err != nil || real != b.real {
			return fmt.Errorf("docker: start container %s: mount source %s: %w", short(id), b.path, errLeaves)
		}
	}
	ctx, cancel := call()
	defer cancel()
	if _, err := r.cli.ContainerStart(ctx, id, client.ContainerStartOptions{}); err != nil {
		return fmt.Errorf("docker: start container %s: %w", short(id), err)
	}
	if announces {
		r.awaitStarted(id)
	}
	return nil
}

// startedWait bounds the wait for a container's first line: a process
// slower than that is reported started without it.
const startedWait = 3 * time.Second

// awaitStarted returns once the container's process has written its
// first line (or exited, or startedWait passed). The daemon's start
// returns once the process is created; kubeplay's demo app, a Go
// program of many megabytes, then takes milliseconds to tens of them to
// listen, more on a loaded machine. The program it plays (nginx)
// listens within milliseconds, and a kubelet hears of a start only at
// its next relist: reported at once, a pod was Ready, in its Service's
// endpoints and sent requests before its app listened, which refused
// them (lesson 15's curl through the ingress controller, on CI). The
// demo app listens before its first line unless its STARTUP_DELAY says
// to start slowly, which the probes lesson shows on purpose.
func (r *Runtime) awaitStarted(id string) {
	ctx, cancel := context.WithTimeout(context.Background(), startedWait)
	defer cancel()
	_ = r.StreamLogs(ctx, id, -1, true, &firstLine{})
}

// StopContainer implements runtime.Runtime: SIGTERM, then SIGKILL after
// grace, which Docker counts in whole seconds (rounded up). It returns at
// once; the exit arrives through OnExit.
func (r *Runtime) StopContainer(id string, grace time.Duration) error {
	secs := int((grace + time.Second - 1) / time.Second)
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), grace+callTimeout)
		defer cancel()
		// An error here is a container already gone or a daemon gone;
		// both show up as an exit or a failed status.
		_, _ = r.cli.ContainerStop(ctx, id, client.ContainerStopOptions{Timeout: &secs})
	}()
	return nil
}

// Kill implements runtime.Killer: SIGKILL now; the exit (137) arrives
// through OnExit.
func (r *Runtime) Kill(id string) error {
	ctx, cancel := call()
	defer cancel()
	if _, err := r.cli.ContainerKill(ctx, id, client.ContainerKillOptions{Signal: "KILL"}); err != nil {
		return fmt.Errorf("docker: kill container %s: %w", short(id), err)
	}
	return nil
}

// KillSandbox implements runtime.SandboxKiller: SIGKILL to the pause
// container; its end arrives through OnExit, as any sandbox's death.
func (r *Runtime) KillSandbox(id string) error { return r.Kill(id) }

// RemoveContainer implements runtime.Runtime: a running container is
// killed, and its exit reported, as in the simulated runtime.
func (r *Runtime) RemoveContainer(id string) error { return r.remove(id) }

// remove force-removes a container; one already gone is not an error.
func (r *Runtime) remove(id string) error {
	ctx, cancel := call()
	defer cancel()
	_, err := r.cli.ContainerRemove(ctx, id, client.ContainerRemoveOptions{Force: true, RemoveVolumes: true})
	if err != nil && !cerrdefs.IsNotFound(err) {
		return fmt.Errorf("docker: remove container %s: %w", short(id), err)
	}
	return nil
}

// Status implements runtime.Runtime.
func (r *Runtime) Status(id string) (runtime.ContainerStatus, error) {
	ctx, cancel := call()
	defer cancel()
	ins, err := r.cli.ContainerInspect(ctx, id, client.ContainerInspectOptions{})
	if err != nil {
		return runtime.ContainerStatus{}, fmt.Errorf("docker: container %s: %w", short(id), err)
	}
	return statusOf(id, ins.Container.State), nil
}

// statusOf turns the daemon's state into the runtime's.
func statusOf(id string, st *container.State) runtime.ContainerStatus {
	s := runtime.ContainerStatus{ID: id}
	if st == nil {
		return s
	}
	s.Running = st.Running || st.Paused || st.Restarting
	s.StartedAt = parseTime(st.StartedAt)
	if !s.Running {
		s.FinishedAt = parseTime(st.FinishedAt)
		s.ExitCode = st.ExitCode
		s.Reason = reason(st.ExitCode, st.OOMKilled)
		s.Message = st.Error
	}
	return s
}

func reason(code int, oom bool) string {
	switch {
	case oom:
		return "OOMKilled"
	case code == 0:
		return "Completed"
	}
	return "Error"
}

// parseTime reads the daemon's times; its zero time ("0001-01-01T00:00:00Z")
// becomes Go's zero time.
func parseTime(s string) time.Time {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil || t.Year() <= 1 {
		return time.Time{}
	}
	return t
}

func short(id string) string {
	if len(id) > 12 {
		return id[:12]
	}
	return id
}
