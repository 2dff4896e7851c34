package printers

import (
	"encoding/json"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"k8s.io/apimachinery/pkg/runtime"
	utiljson "k8s.io/apimachinery/pkg/util/json"
)

// generic is kubectl's genericDescriber, what it falls back to for a kind
// without a describer of its own (ControllerRevision, Event): the object
// as the server sends it, every field a line, keys turned into words.
func (d *describer) generic(content map[string]any) {
	m, _ := content["metadata"].(map[string]any)
	str := func(k string) string { s, _ := m[k].(string); return s }
	strMap := func(k string) map[string]string {
		out := map[string]string{}
		src, _ := m[k].(map[string]any)
		for k, v := range src {
			out[k], _ = v.(string)
		}
		return out
	}
	d.write(level0, "Name:\t%s\n", str("name"))
	d.write(level0, "Namespace:\t%s\n", str("namespace"))
	d.labels("", "Labels", strMap("labels"))
	d.annotations("Annotations", strMap("annotations"))
	d.unstructured(level0, content, "", ".metadata.managedFields", ".metadata.name",
		".metadata.namespace", ".metadata.labels", ".metadata.annotations")
	d.events()
}

// unstructuredContent is the object as a dynamic client decodes it from
// the server's JSON: apiVersion and kind set, whole numbers int64.
func unstructuredContent(obj runtime.Object) (map[string]any, error) {
	c, err := withKind(obj)
	if err != nil {
		return nil, err
	}
	data, err := json.Marshal(c)
	if err != nil {
		return nil, err
	}
	var content map[string]any
	err = utiljson.Unmarshal(data, &content)
	return content, err
}

// unstructured is kubectl's printUnstructuredContent: fields sorted by
// their JSON names, a map or a list as a heading with its content one
// level in (a list's items unmarked), others as "Label:\tvalue".
func (d *describer) unstructured(level int, content map[string]any, skipPrefix string, skip ...string) {
	for _, field := range sortedKeys(content) {
		path := skipPrefix + "." + field
		if slices.Contains(skip, path) {
			continue
		}
		switch v := content[field].(type) {
		case map[string]any:
			d.write(level, "%s:\n", smartLabel(field))
			d.unstructured(level+1, v, path, skip...)
		case []any:
			d.write(level, "%s:\n", smartLabel(field))
			for _, child := range v {
				if m, ok := child.(map[string]any); ok {
					d.unstructured(level+1, m, path, skip...)
				} else {
					d.write(level+1, "%v\n", child)
				}
			}
		default:
			d.write(level, "%s:\t%v\n", smartLabel(field), v)
		}
	}
}

// smartLabel is kubectl's smartLabelFor: "apiVersion" → "API Version",
// "ownerReferences" → "Owner References"; a key with anything but
// letters and '-' ("$patch", "app.kubernetes.io/name") stays as it is.
func smartLabel(field string) string {
	if strings.IndexFunc(field, func(r rune) bool { return !unicode.IsLetter(r) && r != '-' }) != -1 {
		return field
	}
	parts := camelSplit(field)
	words := make([]string, 0, len(parts))
	for _, p := range parts {
		switch up := strings.ToUpper(p); up {
		case "API", "URL", "UID", "OSB", "GUID":
			words = append(words, up)
		default:
			// strings.Title of a run of one class: its first letter.
			r, n := utf8.DecodeRuneInString(p)
			words = append(words, string(unicode.ToTitle(r))+p[n:])
		}
	}
	return strings.Join(words, " ")
}

// camelSplit is github.com/fatih/camelcase v1.0.0's Split, which kubectl
// uses: runs of lower case, upper case, digits and the rest, the last
// capital of an upper-case run moved onto a lower-case run after it
// ("PDFLoader" → "PDF", "Loader").
func camelSplit(src string) []string {
	if !utf8.ValidString(src) {
		return []string{src}
	}
	class := func(r rune) int {
		switch {
		case unicode.IsLower(r):
			return 1
		case unicode.IsUpper(r):
			return 2
		case unicode.IsDigit(r):
			return 3
		}
		return 4
	}
	var runs [][]rune
	last := 0
	for _, r := range src {
		c := class(r)
		if c == last {
			runs[len(runs)-1] = append(runs[len(runs)-1], r)
		} else {
			runs = append(runs, []rune{r})
		}
		last = c
	}
	for i := 0; i < len(runs)-1; i++ {
		if unicode.IsUpper(runs[i][0]) && unicode.IsLower(runs[i+1][0]) {
			runs[i+1] = append([]rune{runs[i][len(runs[i])-1]}, runs[i+1]...)
			runs[i] = runs[i][:len(runs[i])-1]
		}
	}
	out := make([]string, 0, len(runs))
	for _, r := range runs {
		if len(r) > 0 {
			out = append(out, string(r))
		}
	}
	return out
}
