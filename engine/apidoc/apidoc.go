// Package apidoc reads the documentation of the API's Go types: their
// JSON fields, types and SwaggerDoc() descriptions, the text k8s.io/api
// generates its OpenAPI from. The built-in kubectl explain prints it, and
// the HTTP API serves it as OpenAPI schemas to a real kubectl explain.
package apidoc

import (
	"reflect"
	"sort"
	"strings"
)

// Field is one JSON field of an API type.
type Field struct {
	Name string
	Type reflect.Type
	Doc  string
	// Required is what openapi-gen decides from the Go type: a field
	// without omitempty (or omitzero) is required.
	Required bool
}

type swaggerDocer interface{ SwaggerDoc() map[string]string }

// docs are a struct's own description ("") and its fields' ones.
func docs(t reflect.Type) map[string]string {
	if t.Kind() != reflect.Struct {
		return nil
	}
	if d, ok := reflect.New(t).Elem().Interface().(swaggerDocer); ok {
		return d.SwaggerDoc()
	}
	return nil
}

// Doc is a type's own description.
func Doc(t reflect.Type) string { return docs(Deref(t))[""] }

// Fields lists a struct's JSON fields, inlined embeddings included,
// sorted by name as explain sorts them.
func Fields(t reflect.Type) []Field {
	d := docs(t)
	var out []Field
	for i := range t.NumField() {
		f := t.Field(i)
		name, opts, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "-" || !f.IsExported() {
			continue
		}
		if name == "" && (f.Anonymous || strings.Contains(opts, "inline")) {
			out = append(out, Fields(Deref(f.Type))...)
			continue
		}
		if name == "" {
			name = f.Name
		}
		optional := strings.Contains(opts, "omitempty") || strings.Contains(opts, "omitzero")
		out = append(out, Field{Name: name, Type: f.Type, Doc: d[name], Required: !optional})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// Deref is t through its pointers.
func Deref(t reflect.Type) reflect.Type {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	return t
}

// Elem is the type a field holds through pointers, slices and maps
// (but a []byte, which the API writes as a string).
func Elem(t reflect.Type) reflect.Type {
	t = Deref(t)
	for t.Kind() == reflect.Slice || t.Kind() == reflect.Map {
		if t.Kind() == reflect.Slice && t.Elem().Kind() == reflect.Uint8 {
			return t
		}
		t = Deref(t.Elem())
	}
	return t
}

// Object is the struct with fields a field holds, through pointers,
// slices and maps, or nil for a scalar.
func Object(t reflect.Type) reflect.Type {
	t = Elem(t)
	if t.Kind() != reflect.Struct || Scalar(t) != nil {
		return nil
	}
	return t
}

// Scalar is the OpenAPI schema of a struct the API writes as a string
// or a number (a time, a quantity), nil for other types. Its "name" is
// what explain calls its type.
func Scalar(t reflect.Type) map[string]any {
	switch t.PkgPath() + "." + t.Name() {
	case "k8s.io/apimachinery/pkg/apis/meta/v1.Time":
		return map[string]any{"type": "string", "format": "date-time"}
	case "k8s.io/apimachinery/pkg/apis/meta/v1.MicroTime":
		return map[string]any{"type": "string", "format": "date-time"}
	case "k8s.io/apimachinery/pkg/apis/meta/v1.Duration":
		return map[string]any{"type": "string"}
	case "k8s.io/apimachinery/pkg/api/resource.Quantity":
		return map[string]any{"oneOf": []any{map[string]string{"type": "string"}, map[string]string{"type": "number"}}}
	case "k8s.io/apimachinery/pkg/util/intstr.IntOrString":
		return map[string]any{"format": "int-or-string", "oneOf": []any{map[string]string{"type": "integer"}, map[string]string{"type": "string"}}}
	case "k8s.io/apimachinery/pkg/runtime.RawExtension":
		return map[string]any{"type": "object"}
	}
	return nil
}

// TypeName is explain's <type>: string, integer, []Container,
// map[string]string, Quantity. A struct the API writes as a string shows
// that type; one that may be a string or a number (Quantity,
// IntOrString) its name.
func TypeName(t reflect.Type) string {
	t = Deref(t)
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
		return "[]" + TypeName(t.Elem())
	case reflect.Map:
		return "map[string]" + TypeName(t.Elem())
	case reflect.Struct:
		// kubectl's typeGuess: a reference to a schema of a type other
		// than object shows that type, any other its name.
		if typ, ok := Scalar(t)["type"].(string); ok && typ != "object" {
			return typ
		}
		return t.Name()
	}
	return "Object"
}
