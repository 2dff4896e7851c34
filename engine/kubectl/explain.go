package kubectl

import (
	"fmt"
	"io"
	"reflect"
	"sort"
	"strings"

	"github.com/spf13/cobra"
)

// explain reads the documentation kubectl explain shows from the Go types
// the apiserver serves and their SwaggerDoc(), the same text k8s.io/api
// generates the OpenAPI descriptions from.

func (s *Session) explainCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "explain TYPE [--recursive=FALSE|TRUE] [--api-version=api-version-group] [-o|--output=plaintext|plaintext-openapiv2]",
		Short: "Get documentation for a resource",
		RunE: func(c *cobra.Command, args []string) error {
			if len(args) != 1 {
				//lint:ignore ST1005 kubectl's exact wording
				return fmt.Errorf("We accept only this format: explain RESOURCE\nSee '%s -h' for help and examples", c.CommandPath())
			}
			return s.runExplain(args[0])
		},
	}
}

// docField is one field of a Go API type as explain shows it.
type docField struct {
	name     string
	typ      reflect.Type
	doc      string
	required bool
}

type swaggerDocer interface{ SwaggerDoc() map[string]string }

// typeDoc is a type's own description and its fields' ones.
func typeDoc(t reflect.Type) map[string]string {
	if t.Kind() != reflect.Struct {
		return nil
	}
	if d, ok := reflect.New(t).Elem().Interface().(swaggerDocer); ok {
		return d.SwaggerDoc()
	}
	return nil
}

// fieldsOf lists a struct's JSON fields, inlined embeddings included,
// sorted by name as explain sorts them.
func fieldsOf(t reflect.Type) []docField {
	docs := typeDoc(t)
	var out []docField
	for i := range t.NumField() {
		f := t.Field(i)
		tag := f.Tag.Get("json")
		name, opts, _ := strings.Cut(tag, ",")
		if name == "-" || !f.IsExported() {
			continue
		}
		if name == "" && (f.Anonymous || strings.Contains(opts, "inline")) {
			out = append(out, fieldsOf(deref(f.Type))...)
			continue
		}
		if name == "" {
			name = f.Name
		}
		optional := strings.Contains(opts, "omitempty") || strings.Contains(opts, "omitzero") || f.Type.Kind() == reflect.Pointer
		out = append(out, docField{name: name, typ: f.Type, doc: docs[name], required: !optional})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].name < out[j].name })
	return out
}

func deref(t reflect.Type) reflect.Type {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	return t
}

// objectType is the struct a field holds, through pointers, slices and
// maps, or nil for a scalar.
func objectType(t reflect.Type) reflect.Type {
	t = deref(t)
	for t.Kind() == reflect.Slice || t.Kind() == reflect.Map {
		if t.Kind() == reflect.Slice && t.Elem().Kind() == reflect.Uint8 {
			return nil
		}
		t = deref(t.Elem())
	}
	if t.Kind() != reflect.Struct || scalarNames[t.Name()] != "" {
		return nil
	}
	return t
}

// scalarNames are structs the API writes as strings or numbers.
var scalarNames = map[string]string{"Time": "string", "MicroTime": "string", "Duration": "string", "Quantity": "Quantity", "IntOrString": "IntOrString"}

// typeName is explain's <type>: string, integer, []Container, map[string]string.
func typeName(t reflect.Type) string {
	t = deref(t)
	switch t.Kind() {
	case reflect.String:
		return "string"
	case reflect.Bool:
		return "boolean"
	case reflect.Int, reflect.Int32, reflect.Int64, reflect.Uint, reflect.Uint32, reflect.Uint64:
		return "integer"
	case reflect.Float32, reflect.Float64:
		return "number"
	case reflect.Slice:
		if t.Elem().Kind() == reflect.Uint8 {
			return "string"
		}
		return "[]" + typeName(t.Elem())
	case reflect.Map:
		return "map[string]" + typeName(t.Elem())
	case reflect.Struct:
		if n := scalarNames[t.Name()]; n != "" {
			return n
		}
		if t.Name() == "RawExtension" {
			return "Object"
		}
		return t.Name()
	}
	return "Object"
}

func (s *Session) runExplain(arg string) error {
	parts := strings.Split(arg, ".")
	res, err := resource(parts[0])
	if err != nil {
		return err
	}
	path := parts[1:]
	// "deployments.apps.spec" names the group first, as kubectl allows.
	if len(path) > 0 && path[0] == res.Group {
		path = path[len(strings.Split(res.Group, ".")):]
	}
	t := reflect.TypeOf(res.New()).Elem()
	var field *docField
	for _, name := range path {
		st := objectType(t)
		if field != nil {
			st = objectType(field.typ)
		}
		var next *docField
		if st != nil {
			for _, f := range fieldsOf(st) {
				if f.name == name {
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
	w := s.Out
	if res.Group != "" {
		fmt.Fprintf(w, "GROUP:      %s\n", res.Group)
	}
	fmt.Fprintf(w, "KIND:       %s\nVERSION:    %s\n\n", res.Kind, res.Version)
	desc := typeDoc(t)[""]
	body := objectType(t)
	if field != nil {
		fmt.Fprintf(w, "FIELD: %s <%s>", field.name, typeName(field.typ))
		if field.required {
			fmt.Fprint(w, " -required-")
		}
		fmt.Fprint(w, "\n\n")
		body = objectType(field.typ)
		desc = field.doc
		if body != nil {
			if td := typeDoc(body)[""]; td != "" {
				desc = strings.TrimRight(desc, "\n") + "\n" + td
			}
		}
	}
	fmt.Fprintln(w, "DESCRIPTION:")
	if desc == "" {
		desc = "<empty>"
	}
	writeWrapped(w, desc, 4, 76)
	fmt.Fprintln(w, "    ")
	if body == nil {
		return nil
	}
	fmt.Fprintln(w, "FIELDS:")
	for i, f := range fieldsOf(body) {
		if i > 0 {
			fmt.Fprintln(w)
		}
		fmt.Fprintf(w, "  %s\t<%s>", f.name, typeName(f.typ))
		if f.required {
			fmt.Fprint(w, " -required-")
		}
		fmt.Fprintln(w)
		doc := f.doc
		if doc == "" {
			doc = "<no description>"
		}
		writeWrapped(w, doc, 4, 76)
	}
	fmt.Fprintln(w)
	return nil
}

// writeWrapped word-wraps text at width and indents every line, as
// explain's wrap and indent template functions do.
func writeWrapped(w io.Writer, text string, indent, width int) {
	pad := strings.Repeat(" ", indent)
	for _, para := range strings.Split(strings.TrimRight(text, "\n"), "\n") {
		line := ""
		for _, word := range strings.Fields(para) {
			if line != "" && len(line)+1+len(word) > width {
				fmt.Fprintln(w, pad+line)
				line = ""
			}
			if line == "" {
				line = word
			} else {
				line += " " + word
			}
		}
		fmt.Fprintln(w, strings.TrimRight(pad+line, " "))
	}
}
