package kubectl

import (
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/kubeplay/kubeplay/engine/apiserver"
	"github.com/kubeplay/kubeplay/engine/metrics"

	"github.com/spf13/cobra"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/runtime/schema"
)

// There is no metrics-server in kubeplay: `top` prints engine/metrics'
// simulated figures, and says so on stderr.

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

func (s *Session) simulatedNotice() {
	s.hintText("kubeplay: these figures are simulated (there is no metrics-server); they follow the containers' requests, not real use.",
		"kubeplay: 이 수치는 시뮬레이션입니다(metrics-server가 없습니다). 실제 사용량이 아니라 컨테이너의 requests를 따릅니다.")
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
	w := newTabWriter(s.Out)
	rows := 0
	for _, o := range filter(objs, sel) {
		p := o.(*corev1.Pod)
		if len(args) > 0 && p.Name != args[0] {
			continue
		}
		u, ok := metrics.PodUsage(p)
		if !ok {
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
			fmt.Fprintf(w, "%s\t", p.Namespace)
		}
		fmt.Fprintf(w, "%s\t%dm\t%dMi\t\n", p.Name, u.CPU, u.Memory>>20)
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
	pods, err := s.list(resPods, "")
	if err != nil {
		return err
	}
	perNode := metrics.NodeUsages(nodes, pods)
	w := newTabWriter(s.Out)
	fmt.Fprintln(w, "NAME\tCPU(cores)\tCPU(%)\tMEMORY(bytes)\tMEMORY(%)\t")
	found := false
	for _, o := range nodes {
		n := o.(*corev1.Node)
		if len(args) > 0 && n.Name != args[0] {
			continue
		}
		found = true
		u := perNode[n.Name]
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
