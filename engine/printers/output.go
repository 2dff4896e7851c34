package printers

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/client-go/util/jsonpath"
	"sigs.k8s.io/yaml"
)

// PrintObjects prints objects for -o yaml|json|name|jsonpath=…|custom-columns=….
// One object prints as itself, several as a v1 List, as `kubectl get a b`
// does. Use PrintList for a list query (`kubectl get pods -o yaml`), which
// prints a List even for zero or one item. noHeaders is --no-headers, which
// only custom-columns heeds (as kubectl's printer).
func PrintObjects(w io.Writer, objs []runtime.Object, output string, noHeaders bool) error {
	return printObjects(w, objs, output, len(objs) != 1, noHeaders)
}

// PrintList is PrintObjects for the answer to a list query: yaml, json and
// jsonpath always see a v1 List, so `{.items[*].metadata.name}` works.
func PrintList(w io.Writer, objs []runtime.Object, output string, noHeaders bool) error {
	return printObjects(w, objs, output, true, noHeaders)
}

func printObjects(w io.Writer, objs []runtime.Object, output string, asList, noHeaders bool) error {
	format, arg, _ := strings.Cut(output, "=")
	switch format {
	case "name":
		for _, o := range objs {
			name, err := objectName(o)
			if err != nil {
				return err
			}
			fmt.Fprintf(w, "%s/%s\n", resourceName(o), name)
		}
		return nil
	case "yaml", "json", "jsonpath", "custom-columns":
	default:
		return fmt.Errorf("unable to match a printer suitable for the output format %q, allowed formats are: custom-columns,json,jsonpath,name,yaml,wide", output)
	}

	if format == "custom-columns" {
		return printCustomColumns(w, objs, unquote(arg), noHeaders)
	}
	doc, err := document(objs, asList)
	if err != nil {
		return err
	}
	switch format {
	case "yaml":
		out, err := yaml.Marshal(doc)
		if err != nil {
			return err
		}
		_, err = w.Write(out)
		return err
	case "json":
		out, err := json.MarshalIndent(doc, "", "    ")
		if err != nil {
			return err
		}
		_, err = w.Write(append(out, '\n'))
		return err
	default: // jsonpath
		return printJSONPath(w, doc, unquote(arg))
	}
}

// unquote drops one pair of quotes a shell would have removed:
// jsonpath='{.x}' reaches us whole when the command line is split naively.
func unquote(s string) string {
	if len(s) >= 2 && (s[0] == '\'' || s[0] == '"') && s[len(s)-1] == s[0] {
		return s[1 : len(s)-1]
	}
	return s
}

func objectName(o runtime.Object) (string, error) {
	doc, err := toMap(o)
	if err != nil {
		return "", err
	}
	md, _ := doc["metadata"].(map[string]any)
	name, _ := md["name"].(string)
	return name, nil
}

// toMap turns a typed object into the generic JSON form kubectl works on,
// with apiVersion and kind filled in. Marshalling the map sorts keys, like
// kubectl printing what the server sent.
func toMap(o runtime.Object) (map[string]any, error) {
	c, err := withKind(o)
	if err != nil {
		return nil, err
	}
	return runtime.DefaultUnstructuredConverter.ToUnstructured(c)
}

// withKind is a copy of o with apiVersion and kind set, as the server
// sends it.
func withKind(o runtime.Object) (runtime.Object, error) {
	gvk, err := gvkFor(o)
	if err != nil {
		return nil, err
	}
	c := o.DeepCopyObject()
	c.GetObjectKind().SetGroupVersionKind(gvk)
	return c, nil
}

// document is the one object, or a v1 List of them.
func document(objs []runtime.Object, asList bool) (map[string]any, error) {
	items := make([]any, 0, len(objs))
	for _, o := range objs {
		m, err := toMap(o)
		if err != nil {
			return nil, err
		}
		if !asList {
			return m, nil
		}
		items = append(items, m)
	}
	return map[string]any{
		"apiVersion": "v1",
		"kind":       "List",
		"items":      items,
		"metadata":   map[string]any{"resourceVersion": ""},
	}, nil
}

func printJSONPath(w io.Writer, doc map[string]any, template string) error {
	jp := jsonpath.New("out").AllowMissingKeys(true)
	if err := jp.Parse(template); err != nil {
		return fmt.Errorf("error parsing jsonpath %s, %v", template, err)
	}
	if err := jp.Execute(w, doc); err != nil {
		return fmt.Errorf("error executing jsonpath %q: %v", template, err)
	}
	return nil
}

// relaxedJSONPath is kubectl's RelaxedJSONPathExpression: ".a.b", "a.b"
// and "{.a.b}" all mean "{.a.b}".
func relaxedJSONPath(p string) string {
	p = strings.TrimSuffix(strings.TrimPrefix(p, "{"), "}")
	if !strings.HasPrefix(p, ".") {
		p = "." + p
	}
	return "{" + p + "}"
}

func printCustomColumns(w io.Writer, objs []runtime.Object, spec string, noHeaders bool) error {
	if spec == "" {
		return fmt.Errorf("custom-columns format specified but no custom columns given")
	}
	var headers []string
	var paths []*jsonpath.JSONPath
	for _, part := range strings.Split(spec, ",") {
		header, path, ok := strings.Cut(part, ":")
		if !ok {
			return fmt.Errorf("unexpected custom-columns spec: %s, expected <header>:<json-path-expr>", part)
		}
		jp := jsonpath.New(header).AllowMissingKeys(true)
		if err := jp.Parse(relaxedJSONPath(path)); err != nil {
			return err
		}
		headers = append(headers, header)
		paths = append(paths, jp)
	}
	tw := tabwriter.NewWriter(w, tableMinWidth, tableTabWidth, tablePadding, ' ', 0)
	if !noHeaders {
		writeRow(tw, headers)
	}
	for _, o := range objs {
		doc, err := toMap(o)
		if err != nil {
			return err
		}
		row := make([]string, len(paths))
		for i, jp := range paths {
			results, err := jp.FindResults(doc)
			if err != nil {
				return err
			}
			var vals []string
			for _, r := range results {
				for _, v := range r {
					vals = append(vals, fmt.Sprint(v.Interface()))
				}
			}
			row[i] = "<none>"
			if len(vals) > 0 {
				row[i] = strings.Join(vals, ",")
			}
		}
		writeRow(tw, row)
	}
	return tw.Flush()
}
