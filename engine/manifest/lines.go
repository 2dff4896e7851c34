package manifest

import (
	"strconv"
	"strings"

	yamlv3 "go.yaml.in/yaml/v3"
)

// The apiserver reports field paths, not lines. To point a learner at the
// right line we parse the document a second time into a yaml.v3 node tree,
// which keeps positions, and walk it along the reported path.

// segment is one step of a field path: a key, optionally followed by [i].
type segment struct {
	key   string
	index int // -1 when the step has no index
}

// parsePath splits "spec.containers[0].name" into steps.
func parsePath(p string) []segment {
	var out []segment
	for _, part := range strings.Split(p, ".") {
		s := segment{key: part, index: -1}
		if i := strings.IndexByte(part, '['); i > 0 && strings.HasSuffix(part, "]") {
			if n, err := strconv.Atoi(part[i+1 : len(part)-1]); err == nil {
				s = segment{key: part[:i], index: n}
			}
		}
		out = append(out, s)
	}
	return out
}

// parseNodes returns the root of one YAML or JSON document, or nil.
func parseNodes(doc []byte) *yamlv3.Node {
	var n yamlv3.Node
	if err := yamlv3.Unmarshal(doc, &n); err != nil {
		return nil
	}
	return content(&n)
}

// content skips document wrappers and follows aliases.
func content(n *yamlv3.Node) *yamlv3.Node {
	for n != nil {
		switch {
		case n.Kind == yamlv3.DocumentNode && len(n.Content) == 1:
			n = n.Content[0]
		case n.Kind == yamlv3.AliasNode:
			n = n.Alias
		default:
			return n
		}
	}
	return nil
}

// lookup returns the line of the key at the end of path, or 0. A step
// without an index that meets a list tries every item, because JSON type
// errors name the path without indices (spec.containers.ports.containerPort).
func lookup(n *yamlv3.Node, path []segment) int {
	n = content(n)
	if n == nil || len(path) == 0 || n.Kind != yamlv3.MappingNode {
		return 0
	}
	s := path[0]
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], content(n.Content[i+1])
		if k.Value != s.key {
			continue
		}
		if len(path) == 1 {
			return k.Line
		}
		if v == nil {
			return 0
		}
		if v.Kind == yamlv3.SequenceNode {
			if s.index >= 0 {
				if s.index < len(v.Content) {
					return lookup(v.Content[s.index], path[1:])
				}
				return 0
			}
			for _, item := range v.Content {
				if line := lookup(item, path[1:]); line > 0 {
					return line
				}
			}
			return 0
		}
		return lookup(v, path[1:])
	}
	return 0
}

// located is a field path with the line it sits on.
type located struct {
	path string
	line int
}

// duplicates finds keys given twice in one mapping. sigs.k8s.io/yaml keeps
// the last one silently, so without this walk a repeated `image:` would
// pass; the apiserver's strict JSON decoder reports it as a duplicate field.
func duplicates(n *yamlv3.Node, prefix string) []located {
	n = content(n)
	if n == nil {
		return nil
	}
	var out []located
	switch n.Kind {
	case yamlv3.MappingNode:
		seen := map[string]bool{}
		for i := 0; i+1 < len(n.Content); i += 2 {
			k := n.Content[i]
			p := joinPath(prefix, k.Value)
			if seen[k.Value] {
				out = append(out, located{p, k.Line})
			}
			seen[k.Value] = true
			// Alias values are skipped so that a self-referencing
			// document cannot make the walk loop forever.
			if n.Content[i+1].Kind != yamlv3.AliasNode {
				out = append(out, duplicates(n.Content[i+1], p)...)
			}
		}
	case yamlv3.SequenceNode:
		for i, item := range n.Content {
			if item.Kind != yamlv3.AliasNode {
				out = append(out, duplicates(item, prefix+"["+strconv.Itoa(i)+"]")...)
			}
		}
	}
	return out
}

func joinPath(prefix, key string) string {
	if prefix == "" {
		return key
	}
	return prefix + "." + key
}
