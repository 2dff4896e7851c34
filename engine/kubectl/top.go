package kubectl

import (
	"errors"
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/kubeplay/kubeplay/engine/apiserver"
	"github.com/kubeplay/kubeplay/engine/backend"
	"github.com/kubeplay/kubeplay/engine/metrics"

	"github.com/spf13/cobra"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/runtime/schema"
)

// top reads the metrics API (metrics-server's figures, engine/metrics) as
// kubectl top does; on the simulated runtime it says that the figures
// come from a model.

var resNodes, _ = apiserver.ResourceFor("nodes")

func (s *Session) topCmd() *cobra.Command {
	top := &cobra.Command{Use: "top", Short: "Display resource (CPU/memory) usage"}
	var allNamespaces bool
	var selector string
	pods := &cobra.Command{
		Use:     "pod [NAME | -l label]",
		Aliases: []string{"pods", "po"},
		Short:   "Display resource (CPU/memory) usage of pods",
		RunE:    func(_ *cobra.Command, args []string) error { return s.topPods(args, selector, allNamespaces) },
	}
	pods.Flags().BoolVarP(&allNamespaces, "all-namespaces", "A", false, "If present, list the requested object(s) across all namespaces.")
	pods.Flags().StringVarP(&selector, "selector", "l", "", "Selector (label query) to filter on")
	nodes := &cobra.Command{
		Use:     "node [NAME | -l label]",
		Aliases: []string{"nodes", "no"},
		Short:   "Display resource (CPU/memory) usage of nodes",
		RunE:    func(_ *cobra.Command, args []string) error { return s.topNodes(args) },
	}
	top.AddCommand(pods, nodes)
	return top
}

// metricsAPI is the cluster's metrics API, or kubectl's error when it has
// none.
func (s *Session) metricsAPI() (metrics.Reader, error) {
	if mr, ok := s.C.(backend.MetricsReader); ok {
		return mr.Metrics(), nil
	}
	//lint:ignore ST1005 kubectl's own words
	return nil, errors.New("Metrics API not available")
}

// metricsErr is kubectl's error for a failed read of the metrics API:
// while metrics-server has no ready pod the aggregated API is not
// available, and kubectl says so in its own words.
func (s *Session) metricsErr(err error) error {
	if !errors.Is(err, metrics.ErrUnavailable) {
		return err
	}
	s.hintText("kubeplay: the metrics API is served by metrics-server (deployment/metrics-server in kube-system), and none of its pods is ready: kubectl get deployment metrics-server -n kube-system.",
		"kubeplay: 메트릭 API는 metrics-server(kube-system의 deployment/metrics-server)가 제공하는데, 지금 준비된 파드가 하나도 없어요. kubectl get deployment metrics-server -n kube-system 으로 확인해 보세요.")
	//lint:ignore ST1005 kubectl's own words
	return errors.New("Metrics API not available")
}

func (s *Session) simulatedNotice() {
	if !s.C.Capabilities().SimulatedContainers {
		return
	}
	s.hintText("kubeplay: simulated runtime: these figures come from a model (an idle app uses 1-3m of CPU, each request it answers costs some), measured every 15s.",
		"kubeplay: 시뮬레이션 런타임이라 이 수치는 모델에서 나와요(쉬는 앱은 CPU 1-3m, 요청을 하나 처리할 때마다 조금씩 더 씁니다). 15초마다 잽니다.")
}

func (s *Session) topPods(args []string, selector string, allNamespaces bool) error {
	sel, err := labels.Parse(selector)
	if err != nil {
		return err
	}
	ns := s.Namespace
	if allNamespaces {
		ns = ""
	}
	objs, err := s.list(resPods, ns)
	if err != nil {
		return err
	}
	api, err := s.metricsAPI()
	if err != nil {
		return err
	}
	all, err := api.Pods(ns)
	if err != nil {
		return s.metricsErr(err)
	}
	w := newTabWriter(s.Out)
	rows := 0
	for _, pm := range all {
		if (len(args) > 0 && pm.Name != args[0]) || !sel.Matches(labels.Set(pm.Labels)) {
			continue
		}
		if rows == 0 {
			if allNamespaces {
				fmt.Fprint(w, "NAMESPACE\t")
			}
			fmt.Fprintln(w, "NAME\tCPU(cores)\tMEMORY(bytes)\t")
		}
		rows++
		if allNamespaces {
			fmt.Fprintf(w, "%s\t", pm.Namespace)
		}
		u := pm.Total()
		fmt.Fprintf(w, "%s\t%dm\t%dMi\t\n", pm.Name, u.CPU, u.Memory>>20)
	}
	switch {
	case rows > 0:
	case len(args) > 0:
		// The metrics API has nothing for a pod that does not run.
		return apierrors.NewNotFound(schema.GroupResource{Group: "metrics.k8s.io", Resource: "podmetrics"}, s.Namespace+"/"+args[0])
	case len(objs) > 0:
		return fmt.Errorf("metrics not available yet")
	default:
		s.noResources(ns)
		return nil
	}
	_ = w.Flush()
	s.simulatedNotice()
	return nil
}

func (s *Session) topNodes(args []string) error {
	nodes, err := s.list(resNodes, "")
	if err != nil {
		return err
	}
	api, err := s.metricsAPI()
	if err != nil {
		return err
	}
	all, err := api.Nodes()
	if err != nil {
		return s.metricsErr(err)
	}
	usage := map[string]metrics.Usage{}
	for _, nm := range all {
		usage[nm.Name] = nm.Usage
	}
	w := newTabWriter(s.Out)
	fmt.Fprintln(w, "NAME\tCPU(cores)\tCPU(%)\tMEMORY(bytes)\tMEMORY(%)\t")
	found := false
	for _, o := range nodes {
		n := o.(*corev1.Node)
		if len(args) > 0 && n.Name != args[0] {
			continue
		}
		found = true
		u, ok := usage[n.Name]
		if !ok {
			fmt.Fprintf(w, "%s\t<unknown>\t<unknown>\t<unknown>\t<unknown>\t\n", n.Name)
			continue
		}
		cpuCap := n.Status.Allocatable.Cpu().MilliValue()
		memCap := n.Status.Allocatable.Memory().Value()
		fmt.Fprintf(w, "%s\t%dm\t%d%%\t%dMi\t%d%%\t\n", n.Name, u.CPU, percentOf(u.CPU, cpuCap), u.Memory>>20, percentOf(u.Memory, memCap))
	}
	if !found && len(args) > 0 {
		return fmt.Errorf("nodes %q not found", args[0])
	}
	_ = w.Flush()
	s.simulatedNotice()
	return nil
}

// newTabWriter is cli-runtime's GetNewTabWriter, which kubectl's own
// printers (top, events) use.
func newTabWriter(w io.Writer) *tabwriter.Writer {
	return tabwriter.NewWriter(w, 6, 4, 3, ' ', 0)
}

func percentOf(part, whole int64) int64 {
	if whole == 0 {
		return 0
	}
	return part * 100 / whole
}
