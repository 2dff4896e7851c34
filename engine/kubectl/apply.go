package kubectl

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/kubeplay/kubeplay/engine/apiserver"
	"github.com/kubeplay/kubeplay/engine/manifest"
	"github.com/kubeplay/kubeplay/engine/sim"

	"github.com/spf13/cobra"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/meta"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/util/strategicpatch"
)

// LastAppliedAnnotation holds what apply last sent, for its three-way merge.
const LastAppliedAnnotation = "kubectl.kubernetes.io/last-applied-configuration"

func (s *Session) applyCmd() *cobra.Command {
	var files []string
	cmd := &cobra.Command{
		Use:   "apply (-f FILENAME | -k DIRECTORY)",
		Short: "Apply a configuration to a resource by file name or stdin",
		RunE: func(_ *cobra.Command, args []string) error {
			if len(files) == 0 {
				return fmt.Errorf("must specify one of -f and -k")
			}
			// kubectl fails on input with no object in it, such as an
			// empty here-document, rather than doing nothing quietly.
			n := 0
			err := s.eachDocument(files, func(doc manifest.Document) error { n++; return s.applyOne(doc) })
			if err == nil && n == 0 {
				return fmt.Errorf("no objects passed to apply")
			}
			return err
		},
	}
	cmd.Flags().StringSliceVarP(&files, "filename", "f", nil, "The files that contain the configurations to apply")
	return cmd
}

// eachDocument decodes every manifest named by -f and runs fn on each
// document; it goes on after a failed document, as kubectl does, and fails
// at the end if any did.
func (s *Session) eachDocument(files []string, fn func(doc manifest.Document) error) error {
	failed := false
	for _, f := range files {
		sources, err := s.readSources(f)
		if err != nil {
			return err
		}
		for _, src := range sources {
			docs, err := manifest.Decode(src.name, src.data)
			if err != nil {
				s.printError(err)
				failed = true
				continue
			}
			for _, doc := range docs {
				for _, n := range doc.Notices {
					fmt.Fprintln(s.Err, "kubeplay: "+n.Text.In(s.Lang))
				}
				if err := fn(doc); err != nil {
					s.printError(err)
					failed = true
				}
			}
		}
	}
	if failed {
		return exitError{1}
	}
	return nil
}

type source struct {
	name string
	data []byte
}

// readSources reads -f: a file, every manifest in a folder, or stdin.
func (s *Session) readSources(name string) ([]source, error) {
	if name == "-" {
		if s.In == nil {
			return nil, fmt.Errorf("no standard input to read the manifest from")
		}
		data, err := io.ReadAll(s.In)
		if err != nil {
			return nil, err
		}
		return []source{{"STDIN", data}}, nil
	}
	if strings.HasPrefix(name, "http://") || strings.HasPrefix(name, "https://") {
		return s.readURL(name)
	}
	readFile, readDir := s.ReadFile, s.ReadDir
	if readFile == nil {
		readFile = os.ReadFile
	}
	if readDir == nil {
		readDir = listDir
	}
	if entries, err := readDir(name); err == nil {
		sort.Strings(entries)
		var out []source
		for _, e := range entries {
			switch filepath.Ext(e) {
			case ".yaml", ".yml", ".json":
				data, err := readFile(filepath.Join(name, e))
				if err != nil {
					return nil, err
				}
				out = append(out, source{filepath.Join(name, e), data})
			}
		}
		return out, nil
	}
	data, err := readFile(name)
	if err != nil {
		return nil, fmt.Errorf("the path %q does not exist", name)
	}
	return []source{{name, data}}, nil
}

func listDir(name string) ([]string, error) {
	entries, err := os.ReadDir(name)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, e := range entries {
		if !e.IsDir() {
			out = append(out, e.Name())
		}
	}
	return out, nil
}

// prepare sets a document's namespace as kubectl does and returns its
// resource and accessor.
func (s *Session) prepare(doc manifest.Document, nsFlagSet bool) (*apiserver.Resource, metaObject, error) {
	res, err := apiserver.ResourceOf(doc.Object)
	if err != nil {
		return nil, nil, err
	}
	m, _ := meta.Accessor(doc.Object)
	if res.Namespaced {
		switch {
		case m.GetNamespace() == "":
			m.SetNamespace(s.Namespace)
		case nsFlagSet && m.GetNamespace() != s.Namespace:
			return nil, nil, errorf("the namespace from the provided object %q does not match the namespace %q. You must pass '--namespace=%s' to perform this operation.", m.GetNamespace(), s.Namespace, m.GetNamespace())
		}
	}
	return res, m, nil
}

type metaObject = interface {
	GetName() string
	GetNamespace() string
	GetAnnotations() map[string]string
	SetAnnotations(map[string]string)
}

func (s *Session) applyOne(doc manifest.Document) error {
	res, m, err := s.prepare(doc, false)
	if err != nil {
		return err
	}
	applied, err := lastApplied(doc, m.GetNamespace(), res.Namespaced)
	if err != nil {
		return err
	}
	annotations := m.GetAnnotations()
	if annotations == nil {
		annotations = map[string]string{}
	}
	annotations[LastAppliedAnnotation] = string(applied)
	m.SetAnnotations(annotations)

	live, err := s.get(res, m.GetNamespace(), m.GetName())
	if apierrors.IsNotFound(err) {
		if _, err := s.call(apiserver.Request{Verb: sim.VerbCreate, Object: doc.Object}); err != nil {
			return whenCreating(err, doc.Source)
		}
		fmt.Fprintf(s.Out, "%s created\n", res.KindName(m.GetName()))
		s.createdHint(doc.Object)
		return nil
	}
	if err != nil {
		return err
	}
	updated, changed, err := threeWayMerge(live, doc.Object)
	if err != nil {
		return err
	}
	if !changed {
		fmt.Fprintf(s.Out, "%s unchanged\n", res.KindName(m.GetName()))
		return nil
	}
	if _, err := s.call(apiserver.Request{Verb: sim.VerbUpdate, Object: updated}); err != nil {
		return err
	}
	fmt.Fprintf(s.Out, "%s configured\n", res.KindName(m.GetName()))
	return nil
}

// lastApplied is what apply records: the document as written, with its
// namespace filled in and the annotation itself left out (an empty map
// when no other is set), as kubectl's GetModifiedConfiguration encodes
// it: JSON with sorted keys and a newline.
func lastApplied(doc manifest.Document, namespace string, namespaced bool) ([]byte, error) {
	var fields map[string]any
	if err := json.Unmarshal(doc.Fields, &fields); err != nil || fields == nil {
		return nil, fmt.Errorf("cannot record the applied configuration: %v", err)
	}
	md, _ := fields["metadata"].(map[string]any)
	if md == nil {
		md = map[string]any{}
		fields["metadata"] = md
	}
	if namespaced {
		md["namespace"] = namespace
	}
	annotations, _ := md["annotations"].(map[string]any)
	if annotations == nil {
		annotations = map[string]any{}
	}
	delete(annotations, LastAppliedAnnotation)
	md["annotations"] = annotations
	out, err := json.Marshal(fields)
	return append(out, '\n'), err
}

// threeWayMerge is kubectl apply's client-side merge: the change from the
// last applied configuration to the new one, applied to the live object
// as a strategic merge patch, so fields set by others (a `scale`) stay.
func threeWayMerge(live, modified runtime.Object) (runtime.Object, bool, error) {
	lm, _ := meta.Accessor(live)
	original := []byte(lm.GetAnnotations()[LastAppliedAnnotation])
	if len(original) == 0 {
		original = []byte("{}")
	}
	current, err := json.Marshal(live)
	if err != nil {
		return nil, false, err
	}
	mod, err := json.Marshal(modified)
	if err != nil {
		return nil, false, err
	}
	schema, err := strategicpatch.NewPatchMetaFromStruct(live)
	if err != nil {
		return nil, false, err
	}
	patch, err := strategicpatch.CreateThreeWayMergePatch(original, mod, current, schema, true)
	if err != nil {
		return nil, false, err
	}
	if string(patch) == "{}" {
		return live, false, nil
	}
	merged, err := strategicpatch.StrategicMergePatch(current, patch, live)
	if err != nil {
		return nil, false, err
	}
	out := live.DeepCopyObject()
	if err := json.Unmarshal(merged, out); err != nil {
		return nil, false, err
	}
	return out, true, nil
}
