package kubectl

import (
	"fmt"

	"github.com/kubeplay/kubeplay/engine/apiserver"
	"github.com/kubeplay/kubeplay/engine/sim"

	"github.com/spf13/cobra"
	"k8s.io/apimachinery/pkg/api/meta"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/types"
	"sigs.k8s.io/yaml"
)

func (s *Session) patchCmd() *cobra.Command {
	var patch, patchType string
	cmd := &cobra.Command{
		Use:   "patch (-f FILENAME | TYPE NAME) [-p PATCH|--patch-file FILE]",
		Short: "Update fields of a resource",
		RunE: func(_ *cobra.Command, args []string) error {
			if patch == "" {
				return errorf("must specify -p to patch")
			}
			pt, ok := map[string]types.PatchType{
				"strategic": types.StrategicMergePatchType, "merge": types.MergePatchType, "json": types.JSONPatchType,
			}[patchType]
			if !ok {
				return errorf("--type must be one of [json merge strategic], not %q", patchType)
			}
			// kubectl accepts the patch in YAML too.
			body, err := yaml.YAMLToJSON([]byte(patch))
			if err != nil {
				return errorf("unable to parse %q: %v", patch, err)
			}
			targets, err := parseTargets(args)
			if err != nil {
				return err
			}
			for _, t := range targets {
				before, err := s.get(t.res, s.Namespace, t.name)
				if err != nil {
					return err
				}
				after, err := s.call(apiserver.Request{Verb: sim.VerbPatch, Resource: t.res, Namespace: s.Namespace, Name: t.name, Patch: body, PatchType: pt})
				if err != nil {
					return err
				}
				if rv(before) == rv(after) {
					fmt.Fprintf(s.Out, "%s patched (no change)\n", t.res.KindName(t.name))
				} else {
					fmt.Fprintf(s.Out, "%s patched\n", t.res.KindName(t.name))
				}
			}
			return nil
		},
	}
	cmd.Flags().StringVarP(&patch, "patch", "p", "", "The patch to be applied to the resource JSON file.")
	cmd.Flags().StringVar(&patchType, "type", "strategic", "The type of patch being provided; one of [json merge strategic]")
	return cmd
}

// rv is an object's resourceVersion: a patch that changes nothing is not
// written, so the version stays.
func rv(obj runtime.Object) string {
	m, err := meta.Accessor(obj)
	if err != nil {
		return ""
	}
	return m.GetResourceVersion()
}
