package kubectl

import (
	"fmt"
	"io"
	"reflect"
	"strings"

	"github.com/kubeplay/kubeplay/engine/apidoc"

	"github.com/mitchellh/go-wordwrap"
	"github.com/spf13/cobra"
)

// explain reads the documentation kubectl explain shows from the Go types
// the apiserver serves and their SwaggerDoc(), the same text k8s.io/api
// generates the OpenAPI descriptions from.

func (s *Session) explainCmd() *cobra.Command {
	var recursive bool
	cmd := &cobra.Command{
		Use:   "explain TYPE [--recursive=FALSE|TRUE] [--api-version=api-version-group] [-o|--output=plaintext|plaintext-openapiv2]",
		Short: "Get documentation for a resource",
		RunE: func(c *cobra.Command, args []string) error {
			if len(args) != 1 {
				//lint:ignore ST1005 kubectl's exact wording
				return fmt.Errorf("We accept only this format: explain RESOURCE\nSee '%s -h' for help and examples", c.CommandPath())
			}
			return s.runExplain(args[0], recursive)
		},
	}
	cmd.Flags().BoolVar(&recursive, "recursive", false, "When true, print the name of all the fields recursively. Otherwise, print the available fields with their description.")
	return cmd
}

func (s *Session) runExplain(arg string, recursive bool) error {
	parts := strings.Split(arg, ".")
	res, err := resource(parts[0])
	if err != nil {
		// explain prints this one without kubectl's "error: ".
		fmt.Fprintln(s.Err, err)
		return exitError{1}
	}
	path := parts[1:]
	// "deployments.apps.spec" names the group first, as kubectl allows.
	if len(path) > 0 && path[0] == res.Group {
		path = path[len(strings.Split(res.Group, ".")):]
	}
	// kubectl prints the heading before it walks the path, and leaves it
	// when a field does not exist.
	w := s.Out
	if res.Group != "" {
		fmt.Fprintf(w, "GROUP:      %s\n", res.Group)
	}
	fmt.Fprintf(w, "KIND:       %s\nVERSION:    %s\n\n", res.Kind, res.Version)
	t := reflect.TypeOf(res.New()).Elem()
	var field *apidoc.Field
	for _, name := range path {
		st := apidoc.Object(t)
		if field != nil {
			st = apidoc.Object(field.Type)
		}
		var next *apidoc.Field
		if st != nil {
			for _, f := range apidoc.Fields(st) {
				if f.Name == name {
					next = &f
					break
				}
			}
		}
		if next == nil {
			return fmt.Errorf("field %q does not exist", name)
		}
		field = next
	}
	// The description is the field's and its type's, each ending a line.
	docs := []string{apidoc.Doc(t)}
	body := apidoc.Object(t)
	if field != nil {
		// kubectl's template leaves room for the field's enum values
		// (unknown here) between two empty lines.
		fmt.Fprintf(w, "FIELD: %s <%s>\n\n\n", field.Name, apidoc.TypeName(field.Type))
		body = apidoc.Object(field.Type)
		docs = []string{field.Doc, apidoc.Doc(apidoc.Elem(field.Type))}
	}
	desc := ""
	for _, d := range docs {
		if d != "" {
			desc += d + "\n"
		}
	}
	if desc == "" {
		desc = "<empty>"
	}
	fmt.Fprintln(w, "DESCRIPTION:")
	fmt.Fprintln(w, wrapIndent(desc, 4, 76))
	// kubectl's template ends every explanation with an empty line.
	defer fmt.Fprintln(w)
	if body == nil {
		return nil
	}
	fmt.Fprintln(w, "FIELDS:")
	if recursive {
		writeFieldNames(w, body, 1, map[reflect.Type]bool{body: true})
		return nil
	}
	for i, f := range apidoc.Fields(body) {
		if i > 0 {
			fmt.Fprintln(w)
		}
		fmt.Fprintf(w, "  %s\t<%s>", f.Name, apidoc.TypeName(f.Type))
		if f.Required {
			fmt.Fprint(w, " -required-")
		}
		fmt.Fprintln(w)
		doc := f.Doc
		if doc == "" {
			doc = "<no description>"
		}
		fmt.Fprintln(w, wrapIndent(doc, 4, 76))
	}
	fmt.Fprintln(w)
	return nil
}

// writeFieldNames is --recursive's tree of fields, without descriptions;
// a type already on the path is not entered again.
func writeFieldNames(w io.Writer, t reflect.Type, depth int, onPath map[reflect.Type]bool) {
	for _, f := range apidoc.Fields(t) {
		fmt.Fprintf(w, "%s%s\t<%s>", strings.Repeat("  ", depth), f.Name, apidoc.TypeName(f.Type))
		if f.Required {
			fmt.Fprint(w, " -required-")
		}
		fmt.Fprintln(w)
		if sub := apidoc.Object(f.Type); sub != nil && !onPath[sub] {
			onPath[sub] = true
			writeFieldNames(w, sub, depth+1, onPath)
			delete(onPath, sub)
		}
	}
}

// wrapIndent word-wraps text at width and indents every line, empty
// ones too: explain's wrap (go-wordwrap, which keeps runs of spaces and
// leading spaces) and indent template functions.
func wrapIndent(text string, indent, width int) string {
	pad := strings.Repeat(" ", indent)
	return pad + strings.ReplaceAll(wordwrap.WrapString(text, uint(width)), "\n", "\n"+pad)
}
