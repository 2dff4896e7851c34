package docker

import (
	"context"
	"fmt"
	"os"
	goruntime "runtime"
	"slices"
	"strconv"
	"strings"
	"sync"

	cerrdefs "github.com/containerd/errdefs"
	"github.com/moby/moby/api/types/container"
	"github.com/moby/moby/api/types/network"
	"github.com/moby/moby/client"
)

// removeWorkers bounds parallel calls: one per CPU. Teardown is bound by
// the host's CPU, not by the daemon's locks: each container's stop execs
// four Go binaries (runc kill, runc delete, containerd-shim-runc-v2
// delete, runc delete --force) and fusermount3, 200-300 ms of CPU per
// container on the 2-CPU VM this was measured on, the CPU at 100%
// throughout. There, Close of 30 pods (60 containers) took 7.6-8.0 s with
// 2 workers and 12.4-12.9 s of CPU; 7.8-9.6 s with 4 but 15-18 s of CPU
// (more Go processes at once cost more each, CPU the learner's other
// programs lack); 10.5 s with 1 (a CPU left idle).
// Tried and no better than kill all then remove (8.0 s): a forced
// removal of each (8.4-9.1 s), 16 workers (10.7 s), stop with a 0 s
// timeout (9.9 s: runc kill twice, SIGTERM then SIGKILL), disconnecting
// the sandboxes from the network first (9.2 s: a sandbox's endpoint goes
// when it stops, not when it is removed; removals take 15-40 ms each),
// sandboxes one at a time after the app containers (11.7 s). Removing
// the network last costs 0.15-0.3 s. What would pay is fewer containers
// or fewer runc runs per container, neither possible without changing the
// pod model.
var removeWorkers = goruntime.NumCPU()

// Removed says what a cleanup removed, by name.
type Removed struct {
	Containers []string
	Networks   []string
	Folders    []string // cluster folders (volumes)
}

func (rm Removed) String() string {
	return fmt.Sprintf("removed %d containers and %d networks", len(rm.Containers), len(rm.Networks))
}

// labelFilter is the only way this package builds a list filter: every
// term must be one of kubeplay's labels, so that no list — and so no
// removal — can reach an object kubeplay did not create.
func labelFilter(terms ...string) client.Filters {
	if len(terms) == 0 {
		panic("docker: a list without a kubeplay label filter")
	}
	for _, t := range terms {
		if !strings.HasPrefix(t, "kubeplay.") {
			panic("docker: list filter " + t + " is not a kubeplay label")
		}
	}
	return make(client.Filters).Add("label", terms...)
}

func listContainers(ctx context.Context, cli *client.Client, terms ...string) ([]container.Summary, error) {
	res, err := cli.ContainerList(ctx, client.ContainerListOptions{All: true, Filters: labelFilter(terms...)})
	if err != nil {
		return nil, fmt.Errorf("docker: list containers: %w", err)
	}
	return res.Items, nil
}

func listNetworks(ctx context.Context, cli *client.Client, terms ...string) ([]network.Summary, error) {
	res, err := cli.NetworkList(ctx, client.NetworkListOptions{Filters: labelFilter(terms...)})
	if err != nil {
		return nil, fmt.Errorf("docker: list networks: %w", err)
	}
	return res.Items, nil
}

// ClusterContainers counts the containers of this runtime's cluster, on
// every node: how many a teardown of the whole cluster removes.
func (r *Runtime) ClusterContainers(ctx context.Context) (int, error) {
	cs, err := r.list(ctx)
	return len(cs), err
}

// list returns this cluster's containers that also match terms.
func (r *Runtime) list(ctx context.Context, terms ...string) ([]container.Summary, error) {
	return listContainers(ctx, r.cli, append([]string{LabelCluster + "=" + r.cfg.ClusterID}, terms...)...)
}

// removeObjects removes containers, then networks (a network in use
// cannot go). Running containers are all killed first and then removed:
// a container's exit is the slow part on the daemon, and a forced removal
// of each in turn costs a third more than kills then removals of stopped
// ones. Objects without LabelCluster are skipped whatever the caller
// passed: the last guard before a removal. removed, when set, is called
// after each container is gone, from the removing goroutine.
func removeObjects(ctx context.Context, cli *client.Client, cs []container.Summary, ns []network.Summary, removed func()) (Removed, error) {
	var (
		rm   Removed
		mu   sync.Mutex
		errs []error
	)
	failed := func(err error) {
		mu.Lock()
		errs = append(errs, err)
		mu.Unlock()
	}
	cs = slices.DeleteFunc(slices.Clone(cs), func(c container.Summary) bool { _, ok := c.Labels[LabelCluster]; return !ok })
	parallel(cs, func(c container.Summary) {
		if c.State != container.StateRunning {
			return
		}
		// A failed kill shows again in the removal, which forces it.
		_, _ = cli.ContainerKill(ctx, c.ID, client.ContainerKillOptions{Signal: "KILL"})
	})
	parallel(cs, func(c container.Summary) {
		_, err := cli.ContainerRemove(ctx, c.ID, client.ContainerRemoveOptions{Force: true, RemoveVolumes: true})
		switch {
		case err == nil:
			mu.Lock()
			rm.Containers = append(rm.Containers, containerName(c))
			mu.Unlock()
			if removed != nil {
				removed()
			}
		case !cerrdefs.IsNotFound(err): // gone already is fine
			failed(fmt.Errorf("remove container %s: %w", containerName(c), err))
		}
	})
	for _, n := range ns {
		if _, ok := n.Labels[LabelCluster]; !ok {
			continue
		}
		_, err := cli.NetworkRemove(ctx, n.ID, client.NetworkRemoveOptions{})
		switch {
		case err == nil:
			rm.Networks = append(rm.Networks, n.Name)
		case !cerrdefs.IsNotFound(err):
			failed(fmt.Errorf("remove network %s: %w", n.Name, err))
		}
	}
	slices.Sort(rm.Containers)
	if len(errs) > 0 {
		return rm, fmt.Errorf("docker: cleanup: %v (and %d more)", errs[0], len(errs)-1)
	}
	return rm, nil
}

// parallel calls fn for each item, removeWorkers at a time.
func parallel[T any](items []T, fn func(T)) {
	var wg sync.WaitGroup
	sem := make(chan struct{}, removeWorkers)
	for _, it := range items {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			fn(it)
		}()
	}
	wg.Wait()
}

func containerName(c container.Summary) string {
	if len(c.Names) > 0 {
		return strings.TrimPrefix(c.Names[0], "/")
	}
	return short(c.ID)
}

// Close stops following events and removes this node's containers, then
// the cluster's network once no node of the cluster has a container left.
// The client is closed; the runtime must not be used after. Closing
// again does nothing.
func (r *Runtime) Close(ctx context.Context) (Removed, error) {
	return r.CloseReporting(ctx, nil)
}

// CloseReporting is Close that calls removed after each container is
// gone (from several goroutines at once), for a progress count.
func (r *Runtime) CloseReporting(ctx context.Context, removed func()) (Removed, error) {
	r.mu.Lock()
	closed := r.closed
	r.closed = true
	r.mu.Unlock()
	if closed {
		return Removed{}, nil
	}
	r.creating.Wait()
	r.waitWrites()
	r.stop()
	<-r.done
	r.closeDNS()
	r.stopHealth()
	<-r.healthDone
	<-r.statsDone
	defer r.cli.Close()
	cs, err := r.list(ctx, LabelNode+"="+r.cfg.Node)
	if err != nil {
		return Removed{}, err
	}
	rm, err := removeObjects(ctx, r.cli, cs, nil, removed)
	if err != nil {
		return rm, err
	}
	left, err := r.list(ctx)
	if ferr := r.closeFolders(ctx, err == nil && len(left) == 0); ferr != nil && err == nil {
		err = ferr
	}
	if err != nil || len(left) > 0 {
		return rm, err // another node of the cluster still runs pods
	}
	ns, err := listNetworks(ctx, r.cli, LabelCluster+"="+r.cfg.ClusterID)
	if err != nil {
		return rm, err
	}
	nrm, err := removeObjects(ctx, r.cli, nil, ns, nil)
	rm.Networks = nrm.Networks
	return rm, err
}

// Reap removes the containers and networks of kubeplay runs on this host
// whose process is gone (killed, crashed): the orphans a run could not
// clean up. Objects of live runs and of other hosts are left alone.
func Reap(ctx context.Context, cli *client.Client) (Removed, error) {
	cs, err := listContainers(ctx, cli, LabelCluster, LabelOwnerPID)
	if err != nil {
		return Removed{}, err
	}
	ns, err := listNetworks(ctx, cli, LabelCluster, LabelOwnerPID)
	if err != nil {
		return Removed{}, err
	}
	host, _ := os.Hostname()
	orphan := func(labels map[string]string) bool {
		pid, err := strconv.Atoi(labels[LabelOwnerPID])
		return err == nil && labels[LabelOwnerHost] == host && pid != os.Getpid() && !pidAlive(pid)
	}
	var oc []container.Summary
	for _, c := range cs {
		if orphan(c.Labels) {
			oc = append(oc, c)
		}
	}
	var on []network.Summary
	for _, n := range ns {
		if orphan(n.Labels) {
			on = append(on, n)
		}
	}
	rm, err := removeObjects(ctx, cli, oc, on, nil)
	rm.Folders = reapFolders(false)
	return rm, err
}

// CleanupAll removes every container and network that carries kubeplay's
// cluster label, of any run, live or not (`kubeplay cleanup`), and says
// what it removed.
func CleanupAll(ctx context.Context) (removed []string, err error) {
	cli, err := Connect(ctx)
	if err != nil {
		return nil, err
	}
	defer cli.Close()
	return cleanup(ctx, cli, LabelCluster)
}

// cleanup removes the kubeplay objects that match every label term.
func cleanup(ctx context.Context, cli *client.Client, terms ...string) (removed []string, err error) {
	cs, err := listContainers(ctx, cli, terms...)
	if err != nil {
		return nil, err
	}
	ns, err := listNetworks(ctx, cli, terms...)
	if err != nil {
		return nil, err
	}
	rm, err := removeObjects(ctx, cli, cs, ns, nil)
	for _, c := range rm.Containers {
		removed = append(removed, "container "+c)
	}
	for _, n := range rm.Networks {
		removed = append(removed, "network "+n)
	}
	if len(terms) == 1 && terms[0] == LabelCluster {
		for _, f := range reapFolders(true) {
			removed = append(removed, "folder "+f)
		}
	}
	return removed, err
}

// OwnedBy lists the names of the containers and networks that the kubeplay
// process pid made and that are still on the daemon: what a clean exit
// must have left empty.
func OwnedBy(ctx context.Context, pid int) ([]string, error) {
	return left(ctx, LabelOwnerPID+"="+strconv.Itoa(pid))
}

// ClusterLeft lists the names of the containers and networks of cluster
// still on the daemon: what its teardown must have left empty, while
// other clusters of the same process run on.
func ClusterLeft(ctx context.Context, cluster string) ([]string, error) {
	return left(ctx, LabelCluster+"="+cluster)
}

// left lists the containers and networks that carry the label term.
func left(ctx context.Context, term string) ([]string, error) {
	cli, err := Connect(ctx)
	if err != nil {
		return nil, err
	}
	defer cli.Close()
	cs, err := listContainers(ctx, cli, term)
	if err != nil {
		return nil, err
	}
	ns, err := listNetworks(ctx, cli, term)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, c := range cs {
		out = append(out, "container "+strings.Join(c.Names, ","))
	}
	for _, n := range ns {
		out = append(out, "network "+n.Name)
	}
	return out, nil
}
