package kubectl

import (
	"fmt"

	"github.com/kubeplay/kubeplay/engine/apiserver"
	"github.com/kubeplay/kubeplay/engine/sim"

	"github.com/spf13/cobra"
	autoscalingv2 "k8s.io/api/autoscaling/v2"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// autoscaleCmd is `kubectl autoscale deployment NAME --min=1 --max=10
// --cpu-percent=50`: an autoscaling/v2 HorizontalPodAutoscaler for a
// Deployment, ReplicaSet or StatefulSet that exists.
func (s *Session) autoscaleCmd() *cobra.Command {
	var minPods, maxPods, cpuPercent int32
	var name string
	cmd := &cobra.Command{
		Use:   "autoscale (-f FILENAME | TYPE NAME | TYPE/NAME) [--min=MINPODS] --max=MAXPODS [--cpu-percent=CPU]",
		Short: "Auto-scale a deployment, replica set, stateful set, or replication controller",
		RunE: func(_ *cobra.Command, args []string) error {
			if maxPods < 1 {
				return fmt.Errorf("--max=MAXPODS is required and must be at least 1, max: %d", maxPods)
			}
			if maxPods < minPods {
				return fmt.Errorf("--max=MAXPODS must be larger or equal to --min=MINPODS, max: %d, min: %d", maxPods, minPods)
			}
			targets, err := namedTargets(args)
			if err != nil {
				return err
			}
			for _, t := range targets {
				switch t.res.Kind {
				case "Deployment", "ReplicaSet", "StatefulSet":
				default:
					return fmt.Errorf("cannot autoscale a %s", t.res.Kind)
				}
				if _, err := s.get(t.res, s.Namespace, t.name); err != nil {
					return err
				}
				hpaName := name
				if hpaName == "" {
					hpaName = t.name
				}
				hpa := &autoscalingv2.HorizontalPodAutoscaler{
					ObjectMeta: metav1.ObjectMeta{Name: hpaName, Namespace: s.Namespace},
					Spec: autoscalingv2.HorizontalPodAutoscalerSpec{MaxReplicas: maxPods,
						ScaleTargetRef: autoscalingv2.CrossVersionObjectReference{APIVersion: t.res.APIVersion(), Kind: t.res.Kind, Name: t.name}},
				}
				if minPods > -1 {
					hpa.Spec.MinReplicas = &minPods
				}
				if cpuPercent >= 0 {
					target := cpuPercent
					hpa.Spec.Metrics = []autoscalingv2.MetricSpec{{Type: autoscalingv2.ResourceMetricSourceType,
						Resource: &autoscalingv2.ResourceMetricSource{Name: corev1.ResourceCPU,
							Target: autoscalingv2.MetricTarget{Type: autoscalingv2.UtilizationMetricType, AverageUtilization: &target}}}}
				}
				created, err := s.call(apiserver.Request{Verb: sim.VerbCreate, Object: hpa})
				if err != nil {
					return err
				}
				res, _ := apiserver.ResourceOf(created)
				fmt.Fprintf(s.Out, "%s autoscaled\n", res.KindName(nameOf(created)))
			}
			return nil
		},
	}
	cmd.Flags().Int32Var(&minPods, "min", -1, "The lower limit for the number of pods that can be set by the autoscaler. If it's not specified or negative, the server will apply a default value.")
	cmd.Flags().Int32Var(&maxPods, "max", -1, "The upper limit for the number of pods that can be set by the autoscaler. Required.")
	cmd.Flags().Int32Var(&cpuPercent, "cpu-percent", -1, "The target average CPU utilization (represented as a percent of requested CPU) over all the pods. If it's not specified or negative, a default autoscaling policy will be used.")
	cmd.Flags().StringVar(&name, "name", "", "The name for the newly created object. If not specified, the name of the input resource will be used.")
	return cmd
}
