package kubectl

import (
	"fmt"
	"strings"

	"github.com/kubeplay/kubeplay/engine/apiserver"

	"github.com/spf13/cobra"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/utils/ptr"
)

// createJobCmd is `kubectl create job NAME --image=IMAGE -- [COMMAND]` and
// `kubectl create job NAME --from=cronjob/NAME`.
func (s *Session) createJobCmd() *cobra.Command {
	var image, from string
	cmd := &cobra.Command{
		Use:   "job NAME --image=image [--from=cronjob/name] -- [COMMAND] [args...]",
		Short: "Create a job with the specified name",
		Args:  cobra.MinimumNArgs(1),
		RunE: func(_ *cobra.Command, args []string) error {
			name, command := args[0], args[1:]
			switch {
			case image == "" && from == "":
				return fmt.Errorf("either --image or --from must be specified")
			case image != "" && from != "":
				return fmt.Errorf("--image and --from are mutually exclusive")
			case len(command) > 0 && from != "":
				return fmt.Errorf("cannot specify --from and command")
			}
			if from == "" {
				return failedTo("create job: ", s.createObject(&batchv1.Job{
					ObjectMeta: metav1.ObjectMeta{Name: name},
					Spec: batchv1.JobSpec{Template: corev1.PodTemplateSpec{Spec: corev1.PodSpec{
						Containers:    []corev1.Container{{Name: name, Image: image, Command: command}},
						RestartPolicy: corev1.RestartPolicyNever,
					}}},
				}))
			}
			kind, cjName, ok := strings.Cut(from, "/")
			res, known := apiserver.ResourceFor(kind)
			if !ok || !known || res.Kind != "CronJob" {
				return fmt.Errorf("from must be an existing cronjob: %s", from)
			}
			obj, err := s.C.Get(res, s.Namespace, cjName)
			if err != nil {
				return err
			}
			cj := obj.(*batchv1.CronJob)
			ann := map[string]string{"cronjob.kubernetes.io/instantiate": "manual"}
			for k, v := range cj.Spec.JobTemplate.Annotations {
				ann[k] = v
			}
			return failedTo("create job: ", s.createObject(&batchv1.Job{
				ObjectMeta: metav1.ObjectMeta{Name: name, Annotations: ann, Labels: cj.Spec.JobTemplate.Labels,
					OwnerReferences: []metav1.OwnerReference{{APIVersion: "batch/v1", Kind: "CronJob", Name: cj.Name, UID: cj.UID, Controller: ptr.To(true)}}},
				Spec: *cj.Spec.JobTemplate.Spec.DeepCopy(),
			}))
		},
	}
	cmd.Flags().StringVar(&image, "image", "", "Image name to run.")
	cmd.Flags().StringVar(&from, "from", "", "The name of the resource to create a Job from (only cronjob is supported).")
	return cmd
}

// createCronJobCmd is `kubectl create cronjob NAME --image=IMAGE
// --schedule='*/1 * * * *' -- [COMMAND]`.
func (s *Session) createCronJobCmd() *cobra.Command {
	var image, schedule, restart string
	cmd := &cobra.Command{
		Use:     "cronjob NAME --image=image --schedule='0/5 * * * ?' -- [COMMAND] [args...]",
		Aliases: []string{"cj"},
		Short:   "Create a cron job with the specified name",
		Args:    cobra.MinimumNArgs(1),
		RunE: func(_ *cobra.Command, args []string) error {
			name := args[0]
			return failedTo("create cronjob: ", s.createObject(&batchv1.CronJob{
				ObjectMeta: metav1.ObjectMeta{Name: name},
				Spec: batchv1.CronJobSpec{Schedule: schedule, JobTemplate: batchv1.JobTemplateSpec{
					ObjectMeta: metav1.ObjectMeta{Name: name},
					Spec: batchv1.JobSpec{Template: corev1.PodTemplateSpec{Spec: corev1.PodSpec{
						Containers:    []corev1.Container{{Name: name, Image: image, Command: args[1:]}},
						RestartPolicy: corev1.RestartPolicy(restart),
					}}},
				}},
			}))
		},
	}
	cmd.Flags().StringVar(&image, "image", "", "Image name to run.")
	cmd.Flags().StringVar(&schedule, "schedule", "", "A schedule in the Cron format the job should be run with.")
	cmd.Flags().StringVar(&restart, "restart", "OnFailure", "job's restart policy. supported values: OnFailure, Never")
	_ = cmd.MarkFlagRequired("image")
	_ = cmd.MarkFlagRequired("schedule")
	return cmd
}
