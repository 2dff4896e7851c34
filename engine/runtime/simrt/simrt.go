// Package simrt is the simulated container runtime: containers are state
// machines on the kernel's virtual clock. A container with a command runs
// it in kubeplay's shell over an in-memory file system; one without runs
// the demo app, which also stands in for well-known images (nginx, httpd,
// redis, …) since no registry can be reached. Everything it runs is
// simulated, and says so.
package simrt

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/kubeplay/kubeplay/engine/bilingual"
	dnspkg "github.com/kubeplay/kubeplay/engine/dns"
	"github.com/kubeplay/kubeplay/engine/guest/demoapp"
	"github.com/kubeplay/kubeplay/engine/guest/perlpi"
	"github.com/kubeplay/kubeplay/engine/guest/shell"
	"github.com/kubeplay/kubeplay/engine/runtime"
	"github.com/kubeplay/kubeplay/engine/sim"

	wire "github.com/miekg/dns"
)

// Version is what `get nodes -o wide` shows as CONTAINER-RUNTIME.
const Version = "kubeplay-sim://0.1"

// timers is the component the simulated processes' timers belong to: the
// runtime, of no node in particular, since those timers are internal hops
// that are never published.
const timers = sim.Component(sim.KindRuntime)

// wellKnown are the images the simulated runtime has, by repository; any
// tag of them is present. shellImages run a shell when given a command.
var wellKnown = map[string]bool{
	"kubeplay/demo": true, "nginx": true, "httpd": true, "busybox": true, "alpine": true,
	"redis": true, "myapp": true, "ubuntu": true, "debian": true, "registry.k8s.io/busybox": true,
	"k8s.gcr.io/busybox": true, "registry.k8s.io/pause": true, "registry.k8s.io/nginx-slim": true,
	"quay.io/fluentd_elasticsearch/fluentd":         true, // the DaemonSet page's example
	"registry.k8s.io/hpa-example":                   true, // the HPA walkthrough's php-apache
	CoreDNSRepository:                               true, // the cluster DNS add-on
	"registry.k8s.io/metrics-server/metrics-server": true, // the metrics pipeline add-on
	demoapp.KubeProxy:                               true, // the kube-proxy add-on
}

// CoreDNSRepository is CoreDNS's image: a simulated container of it
// listening on port 53 answers DNS queries as the cluster's DNS
// (SetClusterDNS).
const CoreDNSRepository = "registry.k8s.io/coredns/coredns"

var shellImages = map[string]bool{"busybox": true, "alpine": true, "ubuntu": true, "debian": true,
	"registry.k8s.io/busybox": true, "k8s.gcr.io/busybox": true}

// WellKnown reports whether the simulated runtime has image (any tag of
// it). The Docker runtime has kubeplay's image play the same list when the
// daemon lacks them.
func WellKnown(image string) bool { return wellKnown[Repository(image)] }

// RunsShell reports whether image is a shell image (busybox, alpine, …): its
// command runs through sh, and without one it runs sh.
func RunsShell(image string) bool { return shellImages[Repository(image)] }

// Repository is an image reference without tag or digest, and without the
// docker.io/library prefix.
func Repository(image string) string { return demoapp.Repository(image) }

// Network is the simulated pod network shared by every node's runtime:
// it finds the sandbox behind a pod IP.
type Network struct {
	k         *sim.Kernel
	sandboxes map[string]*sandbox // by IP
	// nameservers answer DNS queries, by their IP (SetDNS).
	nameservers map[string]func(*wire.Msg) *wire.Msg
	// hosts answer HTTP on the nodes' network outside the pods, by their
	// IP (SetHost): the control plane.
	hosts map[string]HostHandler
	// dnsHops publishes each query as a hop (SetDNSHops).
	dnsHops bool
	// clusterDNS answers the queries a CoreDNS pod receives (SetClusterDNS).
	clusterDNS func(*wire.Msg) *wire.Msg
	// services routes a connection to a Service's cluster IP (SetServices).
	services func(client, ip string, port int, udp bool) (podIP string, podPort int, ok bool)
	// gateway answers for the pods kubeplay stands in for (SetGateway).
	gateway Gateway
}

// Gateway stands in for the process of some pods (the ingress
// controller's): for a request from the pod client ("" from none) that
// reaches the pod namespace/pod on port, with its Host, it says what
// becomes of it. It may carry the request on with forward, to the pod at
// ip:port, which says whether that pod took it (nil) or refused it;
// Handled false lets the pod's own container answer.
type Gateway func(client, namespace, pod string, port int, host, uri string, forward func(ip string, port int) error) GatewayRoute

// GatewayRoute is a Gateway's answer: Forwarded, a pod took the request
// through forward and its answer is the request's; or an answer of the
// gateway's own (Status, ContentType, Body), or Refused.
type GatewayRoute struct {
	Handled   bool
	Forwarded bool
	Status    int
	// ContentType and Body are its own answer's.
	ContentType, Body string
	Refused           bool
}

// SetGateway makes g answer for the pods it stands in for.
func (n *Network) SetGateway(g Gateway) { n.gateway = g }

// NewNetwork returns an empty pod network on the kernel's clock.
func NewNetwork(k *sim.Kernel) *Network { return &Network{k: k, sandboxes: map[string]*sandbox{}} }

// Storage is the simulated cluster's storage, shared by every node's
// runtime: the data of each PersistentVolume, in memory, by volume name;
// and the disk every file system of the cluster is on.
type Storage struct {
	volumes map[string]*shell.MemFS
	disk    *shell.Disk
	memory  *shell.MemPool // what the cluster's containers hold together
	// resolvConfs are the resolv.conf files of the resolver
	// configurations sandboxes were given, by configuration: the kubelet
	// gives a namespace's pods one (stored objects and what is made of
	// them are never changed), so they share one file.
	resolvConfs map[*runtime.DNSConfig][]byte
	// resolvFiles are those files by their text, so that the nodes'
	// kubelets' configurations alike share one.
	resolvFiles map[string][]byte
}

// resolvConf is the resolv.conf of dns, made once per configuration.
func (s *Storage) resolvConf(dns *runtime.DNSConfig) []byte {
	if b, ok := s.resolvConfs[dns]; ok {
		return b
	}
	if s.resolvConfs == nil || len(s.resolvConfs) >= maxResolvConfs {
		s.resolvConfs, s.resolvFiles = map[*runtime.DNSConfig][]byte{}, map[string][]byte{}
	}
	b := dns.ResolvConf()
	if same, ok := s.resolvFiles[string(b)]; ok {
		b = same
	} else {
		s.resolvFiles[string(b)] = b
	}
	s.resolvConfs[dns] = b
	return b
}

// maxResolvConfs bounds Storage.resolvConfs: a configuration per node and
// namespace in use.
const maxResolvConfs = 4096

// Sizes of the simulated storage. Everything a container writes lives in
// kubeplay's memory, so each file system has a quota (a write past it
// fails with "No space left on device", as on a full disk), and all of
// them together are on one disk whose size bounds what a cluster can hold.
const (
	// FSQuota is the size of a container's writable layer, and of each
	// emptyDir, hostPath folder and PersistentVolume.
	FSQuota = 64 << 20
	// DiskSize is the cluster's disk, which all of them share.
	DiskSize = 128 << 20
	// MemorySize is the memory the cluster's container processes share,
	// each within its own limit (see memoryLimit). With DiskSize, it
	// bounds what containers can make kubeplay hold: the Go heap needs
	// about twice that, plus a growing string's last copies, under 1 GB.
	MemorySize = 192 << 20
)

// NewStorage returns empty storage.
func NewStorage() *Storage {
	return &Storage{volumes: map[string]*shell.MemFS{}, disk: shell.NewDisk(DiskSize), memory: shell.NewMemPool(MemorySize)}
}

// volume is a PersistentVolume's file system, made empty on first use.
func (s *Storage) volume(name string) *shell.MemFS {
	fs, ok := s.volumes[name]
	if !ok {
		fs = s.emptyDir()
		s.volumes[name] = fs
	}
	return fs
}

// newFS is a new container's own file system, on the cluster's disk.
func (s *Storage) newFS() *shell.MemFS {
	f := shell.NewMemFS()
	f.SetQuota(FSQuota, s.disk)
	return f
}

// Runtime is one node's simulated runtime.
type Runtime struct {
	k          *sim.Kernel
	net        *Network
	subnet     int // the node's pod CIDR is 10.244.<subnet>.0/24
	ips        ipam
	seq        int
	prefix     string
	sandboxes  map[string]*sandbox
	containers map[string]*container
	onExit     func(runtime.Exit)
	// hostFS is the node's own file system, where hostPath volumes live:
	// it outlives the pods that mount it.
	hostFS  *shell.MemFS
	storage *Storage
	// emptyDirs outlive a pod's sandbox: pod UID -> volume name -> data.
	emptyDirs map[string]map[string]*shell.MemFS
	// lang is the language of what kubeplay's guards print in a
	// container they kill (out of memory).
	lang bilingual.Lang
}

// SetLang sets the language of the messages kubeplay's guards print in
// the containers they kill.
func (r *Runtime) SetLang(lang bilingual.Lang) { r.lang = lang }

type sandbox struct {
	rt       *Runtime
	id, ip   string
	pod, ns  string
	hostname string
	dns      *runtime.DNSConfig
	// etcHostname and resolvConf are its containers' /etc/hostname and
	// /etc/resolv.conf, written shared into each (MemFS.WriteShared).
	etcHostname, resolvConf []byte
	containers              []*container
	volumes                 map[string]shell.Mount // by volume name; Path unset; nil without volumes
	dead                    bool                   // killed: its IP reaches nothing
	hostNet                 bool                   // on the node's network: its IP is the node's
}

type container struct {
	id      string
	cfg     runtime.ContainerConfig
	sb      *sandbox
	fs      shell.FS
	own     *shell.MemFS // its writable layer, freed when it is removed
	logs    rotatingLog
	proc    *shell.Proc
	mem     *shell.Memory // its cgroup's: the main process's and exec'd ones'
	app     *demoapp.App
	cpu     cpuMeter // from its start
	status  runtime.ContainerStatus
	started bool
	epoch   int // bumped when the process ends, to drop its stale timers
	wakes   int // bumped per wake-up timer, so only the latest one runs
}

// New returns the runtime of the node with pod subnet index subnet, on
// the cluster's network and storage.
func New(k *sim.Kernel, net *Network, storage *Storage, node string, subnet int) *Runtime {
	return &Runtime{k: k, net: net, storage: storage, subnet: subnet, prefix: node,
		sandboxes: map[string]*sandbox{}, containers: map[string]*container{}, emptyDirs: map[string]map[string]*shell.MemFS{}, onExit: func(runtime.Exit) {},
		hostFS: storage.newFS()}
}

// RemovePersistent implements runtime.PersistentStore: the volume's data
// is gone; a pod that still mounts it keeps what it sees.
func (r *Runtime) RemovePersistent(name string) error {
	if fs := r.storage.volumes[name]; fs != nil {
		fs.Free()
	}
	delete(r.storage.volumes, name)
	return nil
}

// nodeDNS is a simulated node's resolver configuration, a kind node's:
// the gateway of the nodes' network, 172.18.0.1, which answers for the
// world outside the cluster.
func nodeDNS() runtime.DNSConfig {
	return runtime.DNSConfig{Servers: []string{NodeResolver}, Options: []string{"ndots:0"}}
}

// NodeResolver is the address of the simulated nodes' resolver.
const NodeResolver = "172.18.0.1"

// Info implements runtime.Runtime.
func (r *Runtime) Info() runtime.Info {
	return runtime.Info{Name: "sim", Version: Version, Simulated: true, NodeDNS: nodeDNS()}
}

// Cost is the virtual time each operation takes: figures in the range a
// containerd node shows for a small, already-pulled image.
func (r *Runtime) Cost(op sim.Verb) time.Duration {
	switch op {
	case sim.VerbPull:
		return 800 * time.Millisecond
	case sim.VerbRunSandbox:
		return 300 * time.Millisecond
	case sim.VerbCreate:
		return 80 * time.Millisecond
	case sim.VerbStart:
		return 150 * time.Millisecond
	case sim.VerbProbe:
		return 2 * time.Millisecond
	}
	return 10 * time.Millisecond
}

// HasImage implements runtime.Runtime: the well-known images, and perl
// for the documentation's pi Job (on Docker, the real image or kubeplay's
// perl stand-in, engine/runtime/docker/image).
func (r *Runtime) HasImage(image string) bool {
	return WellKnown(image) || Repository(image) == perlpi.Repository
}

// StandIn says when the demo app plays an image, or "" when it does not.
func (r *Runtime) StandIn(image string) string {
	repo := Repository(image)
	if repo == "kubeplay/demo" || RunsShell(image) {
		return ""
	}
	if repo == perlpi.Repository {
		return r.lang.Sprintf(r.lang.Pick("simulated runtime: %s is played by kubeplay, which runs only the documentation's pi example "+
			"(perl -Mbignum=bpi -wle 'print bpi(N)'), computing the digits in Go",
			"시뮬레이션 런타임: %s 이미지는 kubeplay가 대신 실행해요. 문서의 pi 예제(perl -Mbignum=bpi -wle 'print bpi(N)')만 Go로 자릿수를 계산해 돌려요"), image)
	}
	return r.lang.Sprintf(r.lang.Pick("simulated runtime: %s is played by the kubeplay demo app (no registry is reached)",
		"시뮬레이션 런타임: %s 이미지는 kubeplay 데모 앱이 대신 실행해요 (레지스트리에 접속하지 않아요)"), image)
}

// PullImage implements runtime.Runtime.
func (r *Runtime) PullImage(image string) (runtime.PullResult, error) {
	if !r.HasImage(image) {
		return runtime.PullResult{}, runtime.ErrImageNotFound
	}
	// A stable, plausible size derived from the name.
	var size int64 = 4 << 20
	for _, b := range []byte(image) {
		size += int64(b) * 4099
	}
	return runtime.PullResult{Size: size, Duration: r.Cost(sim.VerbPull), StandIn: r.StandIn(image)}, nil
}

// RunSandbox implements runtime.Runtime.
func (r *Runtime) RunSandbox(cfg runtime.SandboxConfig) (runtime.Sandbox, error) {
	r.seq++
	id := r.prefix + "-sandbox-" + strconv.Itoa(r.seq)
	// A pod on the node's network (kube-proxy's) has the node's address
	// and takes none of the node's pod range, as on a real node.
	hostNet := cfg.HostNetwork && cfg.HostIP != ""
	host, ok := 0, true
	if !hostNet {
		host, ok = r.ips.next()
	}
	if !ok {
		// As containerd reports kindnet's CNI plugins (ptp with host-local
		// IPAM) failing on a node whose pod CIDR is all in use.
		return runtime.Sandbox{}, fmt.Errorf("rpc error: code = Unknown desc = failed to setup network for sandbox %q: plugin type=\"ptp\" failed (add): "+
			"failed to allocate for range 0: no IP addresses available in range set: 10.244.%d.%d-10.244.%d.%d", id, r.subnet, firstHost, r.subnet, lastHost)
	}
	sb := &sandbox{rt: r, id: id, hostNet: hostNet, hostname: cfg.Hostname,
		pod: cfg.PodName, ns: cfg.Namespace, dns: cfg.DNS, etcHostname: []byte(cfg.Hostname + "\n")}
	if hostNet {
		sb.ip = cfg.HostIP
	} else {
		sb.ip = "10.244." + strconv.Itoa(r.subnet) + "." + strconv.Itoa(host)
	}
	if len(cfg.Volumes) > 0 {
		sb.volumes = make(map[string]shell.Mount, len(cfg.Volumes))
	}
	if cfg.DNS != nil {
		sb.resolvConf = r.storage.resolvConf(cfg.DNS)
	}
	for _, v := range cfg.Volumes {
		if v.HostPath != "" {
			sb.volumes[v.Name] = shell.Mount{FS: r.hostFS, Dir: v.HostPath}
		} else if v.Persistent != "" {
			sb.volumes[v.Name] = shell.Mount{FS: r.storage.volume(v.Persistent)}
		} else {
			// An emptyDir: one file system shared by the pod's
			// containers, kept for its next sandbox. A ConfigMap's or
			// Secret's is written afresh.
			fs := r.emptyDirs[cfg.PodUID][v.Name]
			if fs == nil || v.Files != nil {
				if fs != nil {
					fs.Free()
				}
				fs = r.storage.emptyDir()
				if r.emptyDirs[cfg.PodUID] == nil {
					r.emptyDirs[cfg.PodUID] = map[string]*shell.MemFS{}
				}
				r.emptyDirs[cfg.PodUID][v.Name] = fs
			}
			for name, data := range v.Files {
				if err := fs.WriteFile("/"+name, data, 0o644); err != nil {
					if !hostNet {
						r.ips.release(host)
					}
					return runtime.Sandbox{}, fmt.Errorf("volume %s: %w", v.Name, err)
				}
			}
			sb.volumes[v.Name] = shell.Mount{FS: fs}
		}
	}
	r.sandboxes[sb.id] = sb
	if !hostNet || r.net.sandboxes[sb.ip] == nil {
		// The node's address answers for the first pod on its network.
		r.net.sandboxes[sb.ip] = sb
	}
	return runtime.Sandbox{ID: sb.id, IP: sb.ip}, nil
}

// RemoveSandbox implements runtime.Runtime.
func (r *Runtime) RemoveSandbox(id string) error {
	sb, ok := r.sandboxes[id]
	if !ok {
		return nil
	}
	for _, c := range sb.containers {
		r.end(c, 137, "Error")
		delete(r.containers, c.id)
		c.own.Free()
	}
	delete(r.sandboxes, id)
	if r.net.sandboxes[sb.ip] == sb {
		delete(r.net.sandboxes, sb.ip)
	}
	if !sb.hostNet {
		r.ips.release(sb.host())
	}
	return nil
}

// GrantsHostNetwork implements runtime.HostNetworker: a simulated node's
// network is the simulation's to lend.
func (r *Runtime) GrantsHostNetwork() bool { return true }

// host is the last number of the sandbox's IP, its host in the node's /24.
func (sb *sandbox) host() int {
	n, _ := strconv.Atoi(sb.ip[strings.LastIndexByte(sb.ip, '.')+1:])
	return n
}

// RemovePodVolumes implements runtime.Runtime.
func (r *Runtime) RemovePodVolumes(podUID string) error {
	for _, fs := range r.emptyDirs[podUID] {
		fs.Free()
	}
	delete(r.emptyDirs, podUID)
	return nil
}

// HoldsVolumesOf says whether the runtime still keeps emptyDirs of the
// pod with uid: whether the kubelet has yet to say it is done with it.
func (r *Runtime) HoldsVolumesOf(podUID string) bool { return r.emptyDirs[podUID] != nil }

// CreateContainer implements runtime.Runtime.
func (r *Runtime) CreateContainer(sandboxID string, cfg runtime.ContainerConfig) (string, error) {
	sb, ok := r.sandboxes[sandboxID]
	if !ok {
		return "", fmt.Errorf("sandbox %s not found", sandboxID)
	}
	own := r.storage.newFS()
	fs, err := sb.mount(own, cfg)
	if err != nil {
		own.Free()
		if errors.Is(err, shell.ErrNoSpace) {
			return "", fmt.Errorf("failed to create the container's file system: no space left on device "+
				"(the simulated cluster's disk of %d MiB, shared by every container and volume, is full: delete the pods that fill it)", DiskSize>>20)
		}
		return "", err
	}
	r.seq++
	c := &container{id: containerID(r.seq*7919+r.subnet, r.seq), cfg: cfg, sb: sb, fs: fs, own: own}
	r.containers[c.id] = c
	sb.containers = append(sb.containers, c)
	return c.id, nil
}

// containerID is fmt.Sprintf("%012x%04d", hex, dec) for the non-negative
// numbers a runtime counts, in one allocation: one is made per container.
func containerID(hex, dec int) string {
	var b [40]byte
	out := appendPadded(b[:0], uint64(hex), 16, 12)
	return string(appendPadded(out, uint64(dec), 10, 4))
}

// appendPadded appends v in base, zero-padded to width digits.
func appendPadded(dst []byte, v uint64, base, width int) []byte {
	var digits [24]byte
	d := strconv.AppendUint(digits[:0], v, base)
	for range width - len(d) {
		dst = append(dst, '0')
	}
	return append(dst, d...)
}

// emptyDir is a fresh, empty volume.
func (s *Storage) emptyDir() *shell.MemFS {
	f := s.newFS()
	for _, d := range []string{"/bin", "/dev", "/etc", "/proc", "/root", "/tmp", "/usr", "/var"} {
		_ = f.RemoveAll(d)
	}
	return f
}

// mount is a new container's file system: its own, with the volumes it
// mounts.
func (sb *sandbox) mount(own *shell.MemFS, cfg runtime.ContainerConfig) (shell.FS, error) {
	if err := sb.writeEtc(own, cfg); err != nil {
		return nil, err
	}
	if len(cfg.Mounts) == 0 {
		return own, nil
	}
	var mounts []shell.Mount
	for _, m := range cfg.Mounts {
		v, ok := sb.volumes[m.Volume]
		if !ok {
			return nil, fmt.Errorf("volume %q is not a volume of the pod", m.Volume)
		}
		v.Path, v.ReadOnly = m.Path, m.ReadOnly
		v.Dir = path.Join("/", v.Dir, m.SubPath)
		mounts = append(mounts, v)
	}
	fs, err := shell.NewMountFS(own, mounts)
	if err != nil {
		return nil, fmt.Errorf("mount volumes of container %s: %w", cfg.Name, err)
	}
	return fs, nil
}

// writeEtc puts in a container the files every container of a pod gets:
// /etc/hostname with the pod's host name and /etc/resolv.conf with its
// resolver configuration, which the runtime writes (as containerd does),
// and the hosts file the kubelet manages.
// They are shared, not copied: the same hostname and hosts file in each
// of a pod's containers and their restarts (the kubelet's hosts file is
// made for the container and never changed), one resolv.conf for a
// namespace's pods.
func (sb *sandbox) writeEtc(fs *shell.MemFS, cfg runtime.ContainerConfig) error {
	files := [3]shell.SharedFile{{Name: "/etc/hostname", Data: sb.etcHostname}}
	n := 1
	if sb.resolvConf != nil {
		files[n] = shell.SharedFile{Name: "/etc/resolv.conf", Data: sb.resolvConf}
		n++
	}
	if cfg.HostsFile != nil {
		files[n] = shell.SharedFile{Name: "/etc/hosts", Data: cfg.HostsFile}
		n++
	}
	return fs.WriteShared(files[:n]...)
}

// lookupEnv is the value of one variable of env's.
func (c *container) lookupEnv(name string) string {
	for i := len(c.cfg.Env) - 1; i >= 0; i-- { // the last one set wins, as in env's map
		if c.cfg.Env[i].Name == name {
			return c.cfg.Env[i].Value
		}
	}
	if name == "HOSTNAME" {
		return c.sb.hostname
	}
	return ""
}

func (c *container) env() map[string]string {
	env := map[string]string{"HOSTNAME": c.sb.hostname}
	for _, e := range c.cfg.Env {
		env[e.Name] = e.Value
	}
	return env
}

// argv is what the container runs: its command and args through the
// shell, or for shell images with no command their default `sh`, which
// exits at once with no terminal — as busybox does in Kubernetes.
func (c *container) argv() (argv []string, runsShell bool) {
	repo := Repository(c.cfg.Image)
	switch {
	case len(c.cfg.Command) > 0:
		return append(append([]string{}, c.cfg.Command...), c.cfg.Args...), true
	case shellImages[repo] && len(c.cfg.Args) > 0:
		return c.cfg.Args, true
	case shellImages[repo]:
		return []string{"sh"}, true
	}
	return nil, false
}

// StartContainer implements runtime.Runtime.
func (r *Runtime) StartContainer(id string) error {
	c, ok := r.containers[id]
	if !ok {
		return fmt.Errorf("container %s not found", id)
	}
	if c.started {
		return fmt.Errorf("container %s was already started", id)
	}
	c.started = true
	c.mem = shell.NewMemory(memoryLimit(c.cfg.MemoryLimit), r.storage.memory)
	now := r.k.Now()
	c.status = runtime.ContainerStatus{ID: id, Running: true, StartedAt: now}
	c.cpu = newCPUMeter(r.k.Elapsed(), c.sb.hostname, c.cfg.Name, c.cfg.CPULimit)
	if Repository(c.cfg.Image) == perlpi.Repository {
		r.playPerl(c)
		return nil
	}
	if argv, ok := c.argv(); ok {
		c.proc = shell.Start(shell.Config{Argv: argv, Env: c.env(), Dir: c.cfg.WorkingDir, FS: c.fs, PID1: true,
			Stdout: &c.logs, Stderr: &c.logs, Net: r.net.from(c.sb), DNS: r.net.dnsFrom(c.sb), Hostname: c.sb.hostname, Image: c.cfg.Image, Now: r.k.Now, Seed: int64(r.seq), Memory: c.mem, Lang: r.lang})
		r.step(c)
		return nil
	}
	cfg, err := demoapp.ParseLookup(c.cfg.Image, c.lookupEnv)
	cfg.Environ = c.env
	if err != nil {
		fmt.Fprintf(&c.logs, "demo-app: %v\n", err)
		r.exitSoon(c, 2, "Error")
		return nil
	}
	for _, p := range c.cfg.Ports {
		cfg.Ports = append(cfg.Ports, int(p))
	}
	c.app = demoapp.New(cfg, c.sb.hostname, c.fs, now)
	fmt.Fprintln(&c.logs, c.app.Banner())
	if Repository(c.cfg.Image) == CoreDNSRepository && c.app.Listens(53, now) {
		fmt.Fprintln(&c.logs, "kubeplay: simulated runtime: the DNS queries that reach this pod on port 53 are answered by kubeplay's cluster DNS, in process, as CoreDNS's kubernetes plugin would")
	}
	if Repository(c.cfg.Image) == demoapp.KubeProxy {
		fmt.Fprintln(&c.logs, "kubeplay: simulated runtime: this container stands in for kube-proxy and writes no rules itself: the connections to the Services' cluster IPs are routed by kubeplay's own kube-proxy, in process")
	}
	if cfg.Broken {
		r.exitSoon(c, 1, "Error")
	} else if cfg.CrashAfter > 0 {
		epoch := c.epoch
		r.k.After(cfg.CrashAfter, timers, "demo app crashes", func() {
			if c.epoch == epoch {
				fmt.Fprintf(&c.logs, "demo-app: CRASH_AFTER=%s reached, exiting with code 1\n", cfg.CrashAfter)
				r.end(c, 1, "Error")
			}
		})
	}
	return nil
}

// perlComputes is how long the simulated perl takes over its digits: the
// real pi Job runs for a few seconds.
const perlComputes = 5 * time.Second

// playPerl runs the pi example: its digits after perlComputes, exit 0.
// Any other perl program exits 2 and says why.
func (r *Runtime) playPerl(c *container) {
	argv := append(append([]string{}, c.cfg.Command...), c.cfg.Args...)
	n, ok := perlpi.Match(argv)
	if !ok {
		fmt.Fprintf(&c.logs, "kubeplay: the simulated perl image runs only the pi example: %s\n", perlpi.Example)
		r.exitSoon(c, 2, "Error")
		return
	}
	epoch := c.epoch
	r.k.After(perlComputes, timers, "perl prints pi", func() {
		if c.epoch == epoch {
			fmt.Fprintln(&c.logs, perlpi.Pi(n))
			r.end(c, 0, "")
		}
	})
}

// MaxProcessMemory bounds the memory limit of a simulated container's
// processes, which live in kubeplay's own memory: a limits.memory above it
// counts as MaxProcessMemory.
const MaxProcessMemory = 64 << 20

// memoryLimit is what a container's processes may hold together: its
// memory limit (up to MaxProcessMemory), or the shell's default without
// one. Over it the process that asks is OOM-killed; the main one's kill
// ends the container OOMKilled with 137.
func memoryLimit(limit int64) int64 {
	if limit <= 0 {
		return shell.DefaultMaxMemory
	}
	return min(limit, MaxProcessMemory)
}

// exitSoon ends a process a moment after it started, as a process that
// fails at once does.
func (r *Runtime) exitSoon(c *container, code int, reason string) {
	epoch := c.epoch
	r.k.After(50*time.Millisecond, timers, "process exits", func() {
		if c.epoch == epoch {
			r.end(c, code, reason)
		}
	})
}

// step runs the container's shell process until it sleeps or exits.
func (r *Runtime) step(c *container) {
	st := c.proc.Step()
	r.after(c, st)
}

func (r *Runtime) after(c *container, st shell.State) {
	if st.Exited {
		reason := ""
		if st.OOMKilled {
			reason = "OOMKilled"
		}
		r.end(c, st.ExitCode, reason)
		return
	}
	if st.Sleep == shell.Forever {
		return
	}
	epoch := c.epoch
	c.wakes++
	wake := c.wakes
	r.k.After(st.Sleep, timers, "process wakes", func() {
		if c.epoch == epoch && c.wakes == wake && c.status.Running {
			r.step(c)
		}
	})
}

// end records a container's exit and tells the kubelet.
func (r *Runtime) end(c *container, code int, reason string) {
	if !c.status.Running {
		return
	}
	c.epoch++
	if c.proc != nil && !c.proc.State().Exited {
		c.proc.Signal(syscall.SIGKILL)
	}
	if reason == "" {
		reason = "Completed"
		if code != 0 {
			reason = "Error"
		}
	}
	c.status.Running, c.status.ExitCode, c.status.Reason, c.status.FinishedAt = false, code, reason, r.k.Now()
	r.onExit(runtime.Exit{ContainerID: c.id, Status: c.status})
}

// StopContainer implements runtime.Runtime: SIGTERM now, SIGKILL after grace.
func (r *Runtime) StopContainer(id string, grace time.Duration) error {
	c, ok := r.containers[id]
	if !ok || !c.status.Running {
		return nil
	}
	epoch := c.epoch
	if c.proc != nil {
		// An ignored signal leaves the process asleep, on the timer it
		// has; one that ends it or runs a trap needs a step now.
		if st := c.proc.Signal(syscall.SIGTERM); st.Exited || st.Sleep == 0 {
			r.after(c, st)
		}
	} else if drain := c.app.Terminate(); drain < grace {
		fmt.Fprintf(&c.logs, "demo-app: SIGTERM received, draining for %s then exiting\n", drain)
		r.k.After(drain, timers, "demo app drained", func() {
			if c.epoch == epoch {
				fmt.Fprintln(&c.logs, "demo-app: drained, bye")
				r.end(c, 0, "Completed")
			}
		})
	} else {
		fmt.Fprintf(&c.logs, "demo-app: SIGTERM received, draining for %s (longer than the grace period)\n", drain)
	}
	if c.status.Running {
		r.k.After(grace, timers, "grace period over: SIGKILL", func() {
			if c.epoch == epoch && c.status.Running {
				r.end(c, 137, "Error")
			}
		})
	}
	return nil
}

// Kill implements runtime.Killer: SIGKILL at once, exit code 137.
func (r *Runtime) Kill(id string) error {
	c, ok := r.containers[id]
	if !ok || !c.status.Running {
		return fmt.Errorf("container %s is not running", id)
	}
	r.end(c, 137, "Error")
	return nil
}

// KillSandbox implements runtime.SandboxKiller: the pod IP stops
// answering and the kubelet hears of it; the containers keep running, as
// a pod's do on Docker when its pause container dies.
func (r *Runtime) KillSandbox(id string) error {
	sb, ok := r.sandboxes[id]
	if !ok || sb.dead {
		return fmt.Errorf("sandbox %s is not running", id)
	}
	sb.dead = true
	delete(r.net.sandboxes, sb.ip)
	r.onExit(runtime.Exit{ContainerID: id, Sandbox: true, Status: runtime.ContainerStatus{ID: id, ExitCode: 137, Reason: "Error", FinishedAt: r.k.Now()}})
	return nil
}

// RemoveContainer implements runtime.Runtime.
func (r *Runtime) RemoveContainer(id string) error {
	c, ok := r.containers[id]
	if !ok {
		return nil
	}
	r.end(c, 137, "Error")
	delete(r.containers, id)
	c.own.Free()
	for i, x := range c.sb.containers {
		if x == c {
			c.sb.containers = append(c.sb.containers[:i], c.sb.containers[i+1:]...)
			break
		}
	}
	return nil
}

// Status implements runtime.Runtime.
func (r *Runtime) Status(id string) (runtime.ContainerStatus, error) {
	c, ok := r.containers[id]
	if !ok {
		return runtime.ContainerStatus{}, fmt.Errorf("container %s not found", id)
	}
	return c.status, nil
}

// Exec implements runtime.Runtime.
func (r *Runtime) Exec(id string, cmd []string, timeout time.Duration) (runtime.ExecResult, error) {
	return r.exec(id, cmd, nil, timeout)
}

// ExecStdin implements runtime.StdinExecer: the command reads stdin
// through a pipe, which a goroutine fills and closes; closing the
// reading end once the command ends frees a writer it left blocked.
func (r *Runtime) ExecStdin(id string, cmd []string, stdin []byte, timeout time.Duration) (runtime.ExecResult, error) {
	pr, pw, err := os.Pipe()
	if err != nil {
		return runtime.ExecResult{}, err
	}
	defer pr.Close()
	go func() {
		_, _ = pw.Write(stdin)
		_ = pw.Close()
	}()
	return r.exec(id, cmd, pr, timeout)
}

func (r *Runtime) exec(id string, cmd []string, stdin *os.File, timeout time.Duration) (runtime.ExecResult, error) {
	c, ok := r.containers[id]
	if !ok || !c.status.Running {
		return runtime.ExecResult{}, fmt.Errorf("container %s is not running", id)
	}
	if len(cmd) > 0 {
		if err := shell.LookPath(c.cfg.Image, c.fs, cmd[0]); err != nil {
			return runtime.ExecNotFound(err), nil
		}
	}
	var out execOutput
	code, timedOut := shell.Exec(shell.Config{Argv: cmd, Env: c.env(), FS: c.fs, Stdin: stdin, Stdout: &out, Stderr: &out,
		Net: r.net.from(c.sb), DNS: r.net.dnsFrom(c.sb), Hostname: c.sb.hostname, Image: c.cfg.Image, Now: r.k.Now, Memory: c.mem, Lang: r.lang}, timeout)
	return runtime.ExecResult{ExitCode: code, Output: out.Bytes(), TimedOut: timedOut}, nil
}

// ProbeHTTP implements runtime.Runtime.
func (r *Runtime) ProbeHTTP(id string, port int, path string, https bool, _ time.Duration) (int, string, error) {
	c, ok := r.containers[id]
	if !ok || !c.status.Running {
		return 0, "", runtime.ErrConnRefused
	}
	if https && r.net.listener(c.sb, port) != nil {
		// Every simulated server speaks plain HTTP: it answers a TLS
		// handshake with an HTTP error, as a real one does.
		return 0, "", http.ErrSchemeMismatch
	}
	resp, err := r.net.serve(c.sb, port, demoapp.Request{Method: "GET", URI: path})
	return resp.Status, resp.Body, err
}

// ProbeTCP implements runtime.Runtime.
func (r *Runtime) ProbeTCP(id string, port int, _ time.Duration) error {
	c, ok := r.containers[id]
	if !ok || !c.status.Running {
		return runtime.ErrConnRefused
	}
	if r.net.listener(c.sb, port) == nil {
		return runtime.ErrConnRefused
	}
	return nil
}

// Logs implements runtime.Runtime.
func (r *Runtime) Logs(id string, w io.Writer) error {
	c, ok := r.containers[id]
	if !ok {
		return fmt.Errorf("container %s not found", id)
	}
	_, err := w.Write(c.logs.Bytes())
	return err
}

// OnExit implements runtime.Runtime.
func (r *Runtime) OnExit(fn func(runtime.Exit)) { r.onExit = fn }

// listener finds the running demo app of a sandbox listening on port.
func (n *Network) listener(sb *sandbox, port int) *container {
	for _, c := range sb.containers {
		if c.app != nil && c.status.Running && c.app.Listens(port, n.k.Now()) {
			return c
		}
	}
	return nil
}

func (n *Network) serve(sb *sandbox, port int, req demoapp.Request) (demoapp.Response, error) {
	c := n.listener(sb, port)
	if c == nil {
		return demoapp.Response{}, runtime.ErrConnRefused
	}
	resp, crash := c.app.Handle(req, n.k.Now())
	path, _, _ := strings.Cut(req.URI, "?")
	c.cpu.work(n.k.Elapsed(), requestCost(c, path))
	if crash {
		method := req.Method
		if method == "" {
			method = "GET"
		}
		fmt.Fprintf(&c.logs, "demo-app: %s %s: exiting with code 1\n", method, path)
		sb.rt.exitSoon(c, 1, "Error")
	}
	return resp, nil
}

// from is the network as a process in sb sees it: localhost and
// 127.0.0.1 are its own pod, whose containers share one network namespace.
func (n *Network) from(sb *sandbox) shell.Net { return podNet{n: n, sb: sb} }

type podNet struct {
	n  *Network
	sb *sandbox
}

// Do implements shell.Net: the request reaches the pod at its address
// (its own pod for localhost), or the endpoint kube-proxy picks for a
// cluster IP, with its method, headers and body.
func (p podNet) Do(req shell.Request) (shell.Response, error) {
	u, err := url.Parse(req.URL)
	if err != nil {
		return shell.Response{}, fmt.Errorf("bad address '%s'", req.URL)
	}
	if name := u.Hostname(); name == "localhost" || name == "127.0.0.1" {
		port := u.Port()
		u.Host = p.sb.ip
		if port != "" {
			u.Host += ":" + port
		}
		req.URL = u.String()
	}
	return p.n.do(p.sb.ip, req)
}

// PingRTT is the modelled round trip of an echo request between two
// simulated pods: the simulated network has no wire to time.
const PingRTT = 100 * time.Microsecond

// Echo implements shell.Pinger: a running pod's IP (or the pod's own
// loopback) replies, with TTL 64 from the same node and 63 across one
// router from another; a cluster IP does not, as on a real cluster
// (kube-proxy's rules translate TCP and UDP ports, and nothing owns the
// address); nor does an address nothing has. Answered at once: the
// virtual clock moves only while ping sleeps.
func (p podNet) Echo(addr string, _, _ int, _ time.Duration) (shell.Echo, error) {
	if p.sb.dead {
		return shell.Echo{}, nil
	}
	if addr == "127.0.0.1" || addr == p.sb.ip {
		return shell.Echo{Replied: true, RTT: PingRTT / 2, TTL: 64}, nil
	}
	sb := p.n.sandboxes[addr]
	if sb == nil || sb.dead {
		return shell.Echo{}, nil
	}
	ttl := 64
	if sb.rt != p.sb.rt {
		ttl = 63
	}
	return shell.Echo{Replied: true, RTT: PingRTT, TTL: ttl}, nil
}

// Get implements proxy.PodNetwork: a GET from outside the pods (kube-proxy's
// node ports, the ingress controller) to a pod IP.
func (n *Network) Get(url string) (int, string, error) {
	resp, err := n.do("", shell.Request{Method: "GET", URL: url})
	return resp.Status, resp.Body, err
}

// do is a request from the pod whose IP is client ("" for none), answered
// as the demo app's real server answers it: Content-Length, Content-Type
// and Date (the virtual clock's), and no body for a HEAD.
func (n *Network) do(client string, req shell.Request) (shell.Response, error) {
	// https is carried as http: the simulated network has no TLS (the
	// apiserver behind the kubernetes Service is reached by https).
	rest := strings.TrimPrefix(strings.TrimPrefix(req.URL, "https://"), "http://")
	hostport, path, _ := strings.Cut(rest, "/")
	host, portStr, hasPort := strings.Cut(hostport, ":")
	port := 80
	if hasPort {
		if _, err := fmt.Sscanf(portStr, "%d", &port); err != nil {
			return shell.Response{}, fmt.Errorf("bad port '%s'", portStr)
		}
	}
	sb := n.sandboxes[host]
	if sb == nil && n.services != nil {
		// A Service's cluster IP: kube-proxy's rules send the connection
		// to one of its ready endpoints.
		if podIP, podPort, ok := n.services(client, host, port, false); ok {
			if h := n.hosts[podIP]; h != nil {
				return n.hostAnswer(h, host, podPort, req.Method, "/"+path)
			}
			if sb, port = n.sandboxes[podIP], podPort; sb == nil {
				// No ready endpoint: kube-proxy's rule rejects it.
				return shell.Response{}, fmt.Errorf("can't connect to remote host (%s): Connection refused", host)
			}
		}
	}
	if h := n.hosts[host]; sb == nil && h != nil {
		return n.hostAnswer(h, host, port, req.Method, "/"+path)
	}
	if sb == nil {
		return shell.Response{}, fmt.Errorf("bad address '%s'", host)
	}
	if n.gateway != nil {
		var answered demoapp.Response
		forward := func(ip string, port int) error {
			to := n.sandboxes[ip]
			if to == nil || to.dead {
				// The endpoint went between the gateway's read and now.
				return runtime.ErrConnRefused
			}
			var err error
			answered, err = n.serve(to, port, demoapp.Request{Method: req.Method, URI: "/" + path, Body: req.Body})
			return err
		}
		if r := n.gateway(n.podAt(client), sb.ns, sb.pod, port, hostHeader(req, hostport), "/"+path, forward); r.Handled {
			switch {
			case r.Refused:
				return shell.Response{}, fmt.Errorf("can't connect to remote host (%s): Connection refused", host)
			case r.Forwarded:
				return n.response(answered, req.Method), nil
			}
			return n.hostAnswer(func(string, int, string) (int, string, string, bool) { return r.Status, r.ContentType, r.Body, true },
				host, port, req.Method, "/"+path)
		}
	}
	resp, err := n.serve(sb, port, demoapp.Request{Method: req.Method, URI: "/" + path, Body: req.Body})
	if err != nil {
		return shell.Response{}, fmt.Errorf("can't connect to remote host (%s): Connection refused", host)
	}
	return n.response(resp, req.Method), nil
}

// response is the demo app's answer as its real server sends it, to a
// request with method.
func (n *Network) response(resp demoapp.Response, method string) shell.Response {
	out := shell.Response{Status: resp.Status, Reason: http.StatusText(resp.Status), Body: resp.Body,
		Header: []shell.Field{{Name: "Content-Length", Value: strconv.Itoa(len(resp.Body))}, {Name: "Content-Type", Value: resp.ContentType},
			{Name: "Date", Value: n.k.Now().UTC().Format(http.TimeFormat)}}}
	if method == "HEAD" {
		out.Body = ""
	}
	return out
}

// podAt is the name of the pod at ip, "" for none.
func (n *Network) podAt(ip string) string {
	if sb := n.sandboxes[ip]; sb != nil {
		return sb.pod
	}
	return ""
}

// hostHeader is a request's Host: its Host field, else the URL's.
func hostHeader(req shell.Request, hostport string) string {
	for _, f := range req.Header {
		if strings.EqualFold(f.Name, "Host") {
			return f.Value
		}
	}
	return hostport
}

// HostHandler answers a request (method, path) on port of a host outside
// the pods; ok is false where nothing listens on the port.
type HostHandler func(method string, port int, path string) (status int, contentType, body string, ok bool)

// SetHost makes the host at ip, on the nodes' network, answer the pods'
// requests with h.
func (n *Network) SetHost(ip string, h HostHandler) {
	if n.hosts == nil {
		n.hosts = map[string]HostHandler{}
	}
	n.hosts[ip] = h
}

func (n *Network) hostAnswer(h HostHandler, host string, port int, method, path string) (shell.Response, error) {
	status, ctype, body, ok := h(method, port, path)
	if !ok {
		return shell.Response{}, fmt.Errorf("can't connect to remote host (%s): Connection refused", host)
	}
	out := shell.Response{Status: status, Reason: http.StatusText(status), Body: body,
		Header: []shell.Field{{Name: "Content-Length", Value: strconv.Itoa(len(body))}, {Name: "Content-Type", Value: ctype},
			{Name: "Date", Value: n.k.Now().UTC().Format(http.TimeFormat)}}}
	if method == "HEAD" {
		out.Body = ""
	}
	return out, nil
}

// SetDNS makes the nameservers at these IPs answer the pods' queries
// (a node's resolver); a query to another address goes to whatever pod
// is there (SetClusterDNS), or gets no answer.
func (n *Network) SetDNS(servers map[string]func(*wire.Msg) *wire.Msg) { n.nameservers = servers }

// SetClusterDNS gives the answers of a running CoreDNS container (its
// image CoreDNSRepository, listening on 53): a query to its pod's IP, or
// to a Service's cluster IP that kube-proxy sends there, is answered by
// answer. No such pod ready behind the kube-dns Service, no answer, as
// on a real cluster whose CoreDNS is down.
func (n *Network) SetClusterDNS(answer func(*wire.Msg) *wire.Msg) { n.clusterDNS = answer }

// SetDNSHops says whether each query to the cluster DNS is a hop the
// flow and the trace show (pod → coredns pod); off, the queries are
// answered unseen.
func (n *Network) SetDNSHops(on bool) { n.dnsHops = on }

// SetServices routes connections to cluster IPs: route says which pod
// IP and port one from client (a pod IP, "" from no pod) to ip:port (a
// UDP datagram when udp) goes to ("" when none is ready), and ok false
// for an address that is no Service's.
func (n *Network) SetServices(route func(client, ip string, port int, udp bool) (podIP string, podPort int, ok bool)) {
	n.services = route
}

// dnsFrom is the DNS as a process in sb reaches it.
func (n *Network) dnsFrom(sb *sandbox) shell.DNS { return podDNS{n: n, sb: sb} }

type podDNS struct {
	n  *Network
	sb *sandbox
}

// errNoServer is a query to an address where no nameserver answers.
var errNoServer = errors.New("connection timed out; no servers could be reached")

// Exchange implements shell.DNS: answered in process, at once, by the
// node's resolver or by the CoreDNS pod the query reaches.
func (p podDNS) Exchange(server string, q *wire.Msg) (*wire.Msg, error) {
	if p.sb.dead {
		return nil, errNoServer
	}
	if answer, ok := p.n.nameservers[server]; ok {
		return answer(q), nil
	}
	dns := p.n.dnsServer(p.sb.ip, server)
	if dns == nil {
		return nil, errNoServer
	}
	r := p.n.clusterDNS(q)
	if p.n.dnsHops && len(q.Question) == 1 {
		qq := q.Question[0]
		query, reply := sim.DNSQuery(sim.KindPod.On(p.sb.pod), sim.KindPod.On(dns.sb.pod), server, dnspkg.Question(qq), dnspkg.Summary(r))
		p.n.k.Send(0, query, nil)
		p.n.k.Send(0, reply, nil)
	}
	return r, nil
}

// dnsServer is the running CoreDNS container a datagram from client to
// ip:53 reaches: at a pod IP, or behind a cluster IP through
// kube-proxy's rules; nil when none.
func (n *Network) dnsServer(client, ip string) *container {
	if n.clusterDNS == nil {
		return nil
	}
	if n.sandboxes[ip] == nil && n.services != nil {
		if podIP, _, ok := n.services(client, ip, 53, true); ok {
			ip = podIP
		}
	}
	sb := n.sandboxes[ip]
	if sb == nil {
		return nil
	}
	c := n.listener(sb, 53)
	if c == nil || Repository(c.cfg.Image) != CoreDNSRepository {
		return nil
	}
	return c
}
