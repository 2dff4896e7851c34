package httpapi

import (
	"reflect"
	"strings"

	"github.com/kubeplay/kubeplay/engine/apidoc"
)

// kindSchemas returns the OpenAPI v3 schemas kubectl explain reads for
// k's kind: its own, with x-kubernetes-group-version-kind, and every type
// it reaches, named and shaped as the apiserver's (io.k8s.api.core.v1.Pod,
// fields referring to other types through allOf $ref, required lists).
// They are made from the Go types and their SwaggerDoc() by apidoc, as
// the built-in explain reads them, so both print the same. Enum values
// are not known from the Go types, so there are none.
func kindSchemas(k servedKind) map[string]any {
	out := map[string]any{}
	t := reflect.TypeOf(k.new()).Elem()
	addSchema(out, t)
	out[schemaName(t)].(map[string]any)["x-kubernetes-group-version-kind"] = []map[string]string{
		{"group": k.res.Group, "version": k.version, "kind": k.res.Kind}}
	return out
}

// schemaName is the apiserver's name of a Go type's schema: its package
// path with the domain reversed (k8s.io/api/core/v1 → io.k8s.api.core.v1)
// and its name.
func schemaName(t reflect.Type) string {
	host, path, _ := strings.Cut(t.PkgPath(), "/")
	parts := strings.Split(host, ".")
	for i, j := 0, len(parts)-1; i < j; i, j = i+1, j-1 {
		parts[i], parts[j] = parts[j], parts[i]
	}
	return strings.Join(parts, ".") + "." + strings.ReplaceAll(path, "/", ".") + "." + t.Name()
}

// addSchema adds the schema of struct t, and of the types it refers to,
// to out once each.
func addSchema(out map[string]any, t reflect.Type) {
	name := schemaName(t)
	if _, done := out[name]; done {
		return
	}
	if s := apidoc.Scalar(t); s != nil {
		def := map[string]any{"description": apidoc.Doc(t)}
		for k, v := range s {
			def[k] = v
		}
		out[name] = def
		return
	}
	def := map[string]any{"type": "object", "description": apidoc.Doc(t)}
	out[name] = def // before the fields: a type may refer to itself
	props := map[string]any{}
	var required []string
	for _, f := range apidoc.Fields(t) {
		s := typeSchema(out, f.Type)
		if _, isRef := s["$ref"]; isRef {
			s = map[string]any{"allOf": []any{s}}
		}
		if f.Doc != "" {
			s["description"] = f.Doc
		}
		props[f.Name] = s
		if f.Required {
			required = append(required, f.Name)
		}
	}
	def["properties"] = props
	if required != nil {
		def["required"] = required
	}
}

// typeSchema is the schema of a value of type t: a $ref to a struct's
// definition (added to out), or an inline scalar, array or map.
func typeSchema(out map[string]any, t reflect.Type) map[string]any {
	t = apidoc.Deref(t)
	switch t.Kind() {
	case reflect.Struct:
		addSchema(out, t)
		return map[string]any{"$ref": "#/components/schemas/" + schemaName(t)}
	case reflect.String:
		return map[string]any{"type": "string"}
	case reflect.Bool:
		return map[string]any{"type": "boolean"}
	case reflect.Int32, reflect.Uint32:
		return map[string]any{"type": "integer", "format": "int32"}
	case reflect.Int, reflect.Int64, reflect.Uint, reflect.Uint64:
		return map[string]any{"type": "integer", "format": "int64"}
	case reflect.Float32, reflect.Float64:
		return map[string]any{"type": "number", "format": "double"}
	case reflect.Slice:
		if t.Elem().Kind() == reflect.Uint8 {
			return map[string]any{"type": "string", "format": "byte"}
		}
		items := typeSchema(out, t.Elem())
		if _, isRef := items["$ref"]; isRef {
			items = map[string]any{"allOf": []any{items}}
		}
		return map[string]any{"type": "array", "items": items}
	case reflect.Map:
		return map[string]any{"type": "object", "additionalProperties": typeSchema(out, t.Elem())}
	}
	return map[string]any{"type": "object"}
}
