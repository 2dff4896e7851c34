package kubectl

import (
	"errors"
	"fmt"

	"github.com/kubeplay/kubeplay/engine/admission"
	"github.com/kubeplay/kubeplay/engine/apiserver"
	"github.com/kubeplay/kubeplay/engine/manifest"
	"github.com/kubeplay/kubeplay/engine/sim"

	"github.com/spf13/cobra"
	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/utils/ptr"
)

func (s *Session) createCmd() *cobra.Command {
	var files []string
	cmd := &cobra.Command{
		Use:   "create -f FILENAME",
		Short: "Create a resource from a file or from stdin",
		RunE: func(_ *cobra.Command, args []string) error {
			if len(files) == 0 {
				return fmt.Errorf("must specify one of -f and -k")
			}
			return s.eachDocument(files, func(doc manifest.Document) error {
				res, m, err := s.prepare(doc, false)
				if err != nil {
					return err
				}
				if _, err := s.call(apiserver.Request{Verb: sim.VerbCreate, Object: doc.Object}); err != nil {
					return whenCreating(err, doc.Source)
				}
				fmt.Fprintf(s.Out, "%s created\n", res.KindName(m.GetName()))
				s.createdHint(doc.Object)
				return nil
			})
		},
	}
	cmd.Flags().StringSliceVarP(&files, "filename", "f", nil, "Filename, directory, or URL to files to use to create the resource")
	var images []string
	var replicas int
	var port int32
	deploy := &cobra.Command{
		Use:     "deployment NAME --image=image -- [COMMAND] [args...]",
		Aliases: []string{"deploy"}, // as kubectl's
		Short:   "Create a deployment with the specified name",
		Args:    cobra.MinimumNArgs(1),
		RunE: func(_ *cobra.Command, args []string) error {
			if len(images) == 0 {
				return fmt.Errorf("required flag(s) \"image\" not set")
			}
			if len(images) > 1 && len(args) > 1 {
				return fmt.Errorf("cannot specify multiple --image options and command")
			}
			name := args[0]
			labels := map[string]string{"app": name}
			// One container an image, as kubectl's buildPodSpec; --port is
			// the first container's.
			var containers []corev1.Container
			for _, image := range images {
				c := corev1.Container{Name: containerName(image), Image: image}
				if len(args) > 1 {
					c.Command = args[1:]
				}
				containers = append(containers, c)
			}
			if port >= 0 {
				containers[0].Ports = []corev1.ContainerPort{{ContainerPort: port}}
			}
			d := &appsv1.Deployment{
				ObjectMeta: metav1.ObjectMeta{Name: name, Labels: labels},
				Spec: appsv1.DeploymentSpec{
					Replicas: ptr.To(int32(replicas)),
					Selector: &metav1.LabelSelector{MatchLabels: labels},
					Template: corev1.PodTemplateSpec{ObjectMeta: metav1.ObjectMeta{Labels: labels}, Spec: corev1.PodSpec{Containers: containers}},
				},
			}
			return failedTo("create deployment: ", s.createObject(d))
		},
	}
	deploy.Flags().StringSliceVar(&images, "image", nil, "Image names to run.")
	deploy.Flags().Int32Var(&port, "port", -1, "The port that this container exposes.")
	deploy.Flags().IntVarP(&replicas, "replicas", "r", 1, "Number of replicas to create. Default is 1.")
	ns := &cobra.Command{
		Use:     "namespace NAME",
		Aliases: []string{"ns"},
		Short:   "Create a namespace with the specified name",
		Args:    cobra.ExactArgs(1),
		RunE: func(_ *cobra.Command, args []string) error {
			return s.createObject(&corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: args[0]}})
		},
	}
	cmd.AddCommand(deploy, ns, s.createServiceCmd(), s.createConfigMapCmd(), s.createSecretCmd(), s.createJobCmd(), s.createCronJobCmd(), s.createIngressCmd())
	return cmd
}

// containerName is what `kubectl create deployment` names the container:
// the image's base name without tag.
func containerName(image string) string {
	name := image
	for i := len(name) - 1; i >= 0; i-- {
		if name[i] == '/' {
			name = name[i+1:]
			break
		}
	}
	for i := range len(name) {
		if name[i] == ':' || name[i] == '@' {
			return name[:i]
		}
	}
	return name
}

func (s *Session) createObject(obj runtime.Object) error {
	res, err := apiserver.ResourceOf(obj)
	if err != nil {
		return err
	}
	if m, _ := meta.Accessor(obj); res.Namespaced && m.GetNamespace() == "" {
		m.SetNamespace(s.Namespace)
	}
	created, err := s.call(apiserver.Request{Verb: sim.VerbCreate, Object: obj})
	if err != nil {
		return err
	}
	fmt.Fprintf(s.Out, "%s created\n", res.KindName(nameOf(created)))
	return nil
}

func nameOf(obj runtime.Object) string {
	m, err := meta.Accessor(obj)
	if err != nil {
		return ""
	}
	return m.GetName()
}

// failedToCreate is kubectl's own wording of a refused create for the
// generators that say it themselves (create deployment, configmap,
// secret): "error: failed to create …", not "Error from server"; the
// hint kubeplay has for the server's error still follows.
type failedToCreate struct {
	msg string
	err error
}

func (f *failedToCreate) Error() string { return f.msg }

// LearnerHint is the hint for the server's error.
func (f *failedToCreate) LearnerHint() manifest.Hint {
	h, _ := admission.HintFor(f.err)
	return h
}

// failedTo words err as kubectl's create generators do: "failed to " and
// what, then the server's message (prefix says whether a colon follows:
// create secret has none).
func failedTo(what string, err error) error {
	if err == nil {
		return nil
	}
	msg := err.Error()
	var se *apierrors.StatusError
	if errors.As(err, &se) {
		msg = se.ErrStatus.Message
	}
	return &failedToCreate{msg: "failed to " + what + msg, err: err}
}

// whenCreating words an API error as kubectl create does for a file.
func whenCreating(err error, source string) error {
	var se *apierrors.StatusError
	if errors.As(err, &se) && se.ErrStatus.Reason != metav1.StatusReasonInvalid {
		se.ErrStatus.Message = fmt.Sprintf("error when creating %q: %s", source, se.ErrStatus.Message)
	}
	return err
}
