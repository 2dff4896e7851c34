package manifest

import (
	"reflect"
	"strings"

	"github.com/kubeplay/kubeplay/engine/apidoc"
)

// fieldNames returns the JSON names of the struct reached by walking path
// (without its last step) from t, or nil when the path leaves typed
// structs. Reflection keeps the list in step with k8s.io/api itself.
func fieldNames(t reflect.Type, path []segment) []string {
	for _, s := range path {
		t = structOf(t)
		if t == nil {
			return nil
		}
		f, ok := fieldByJSONName(t, s.key)
		if !ok {
			return nil
		}
		t = f
		if s.index >= 0 {
			t = apidoc.Deref(t)
			if t.Kind() != reflect.Slice && t.Kind() != reflect.Array {
				return nil
			}
			t = t.Elem()
		}
	}
	t = structOf(t)
	if t == nil {
		return nil
	}
	var names []string
	eachJSONField(t, func(name string, _ reflect.Type) bool {
		names = append(names, name)
		return true
	})
	return names
}

// structOf returns t as a struct type, looking through pointers and, for a
// path like "containers" reached without an index, through slices.
func structOf(t reflect.Type) reflect.Type {
	t = apidoc.Deref(t)
	if t.Kind() == reflect.Slice {
		t = apidoc.Deref(t.Elem())
	}
	if t.Kind() != reflect.Struct {
		return nil
	}
	return t
}

func fieldByJSONName(t reflect.Type, name string) (reflect.Type, bool) {
	var found reflect.Type
	eachJSONField(t, func(n string, ft reflect.Type) bool {
		if n == name {
			found = ft
			return false
		}
		return true
	})
	return found, found != nil
}

// eachJSONField calls fn for every JSON-visible field of the struct t,
// descending into `json:",inline"` and anonymous embedded structs (TypeMeta)
// the way encoding/json does. fn returns false to stop.
func eachJSONField(t reflect.Type, fn func(name string, ft reflect.Type) bool) bool {
	for i := range t.NumField() {
		f := t.Field(i)
		tag := f.Tag.Get("json")
		name, opts, _ := strings.Cut(tag, ",")
		if name == "-" || (!f.IsExported() && !f.Anonymous) {
			continue
		}
		if name == "" && (f.Anonymous || strings.Contains(opts, "inline")) {
			if et := apidoc.Deref(f.Type); et.Kind() == reflect.Struct {
				if !eachJSONField(et, fn) {
					return false
				}
				continue
			}
		}
		if name == "" {
			name = f.Name
		}
		if !fn(name, f.Type) {
			return false
		}
	}
	return true
}

// nearest picks the candidate a learner most likely meant: a match that
// differs only in case first, then the closest within two edits.
func nearest(word string, candidates []string) (string, bool) {
	for _, c := range candidates {
		if strings.EqualFold(c, word) {
			return c, true
		}
	}
	best, bestD := "", 3
	for _, c := range candidates {
		if d := editDistance(strings.ToLower(word), strings.ToLower(c)); d < bestD {
			best, bestD = c, d
		}
	}
	return best, best != ""
}

// editDistance is the Levenshtein distance over bytes; field and kind names
// are ASCII.
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
