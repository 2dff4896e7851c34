// Package manifest turns the YAML or JSON a learner writes into typed
// k8s.io/api objects, refusing what kubectl or the apiserver would refuse
// with their exact words, plus the line and a short hint for learners.
package manifest

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"github.com/kubeplay/kubeplay/engine/korean"
	"io"
	"reflect"
	"regexp"
	"strconv"
	"strings"

	yamlv3 "go.yaml.in/yaml/v3"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	utilerrors "k8s.io/apimachinery/pkg/util/errors"
	yamlutil "k8s.io/apimachinery/pkg/util/yaml"
	"sigs.k8s.io/yaml"
)

// Document is one object read from a manifest.
type Document struct {
	Object  runtime.Object // typed, with apiVersion and kind filled in
	Source  string         // file name as given ("-" for stdin)
	Line    int            // 1-based line where the document starts
	Notices []Notice       // fields accepted but not simulated by kubeplay
	// Fields is the document as written, as JSON: kubectl apply records
	// it, not the typed object, as the last applied configuration.
	Fields []byte
}

// Decode reads every document in data. Like kubectl, it keeps going past a
// document the cluster would refuse (unknown kind, strict decoding error)
// but stops at one it cannot read at all (syntax error, missing kind), so
// the documents it returns are the ones kubectl would send. The error is a
// *Error, or several *Error joined with errors.Join.
func Decode(source string, data []byte) ([]Document, error) {
	docs, err := split(source, data)
	var out []Document
	var errs []error
	for _, d := range docs {
		got, bad, fatal := decodeChunk(source, d)
		out = append(out, got...)
		for _, e := range bad {
			errs = append(errs, e)
		}
		if fatal != nil {
			errs = append(errs, fatal)
			return out, joinErrors(errs)
		}
	}
	if err != nil {
		errs = append(errs, err)
	}
	return out, joinErrors(errs)
}

// joinErrors keeps a lone error a plain *Error, which is what callers most
// often get and can type-assert directly.
func joinErrors(errs []error) error {
	switch len(errs) {
	case 0:
		return nil
	case 1:
		return errs[0]
	}
	return errors.Join(errs...)
}

// chunk is one document's bytes and where they start in the source.
type chunk struct {
	data []byte
	line int // line of data's first byte
	json bool
}

// split cuts data into documents the way apimachinery's YAMLOrJSONDecoder
// does: a JSON stream when data starts with '{', else YAML documents
// separated by lines beginning with "---". The chunks before a bad
// separator are returned with the error.
func split(source string, data []byte) ([]chunk, *Error) {
	if trimmed := bytes.TrimLeft(data, " \t\r\n"); len(trimmed) > 0 && trimmed[0] == '{' {
		if chunks, err := splitJSON(source, data); chunks != nil || err != nil {
			return chunks, err
		}
	}
	var chunks []chunk
	start, startLine, line := 0, 1, 1
	for pos := 0; pos < len(data); line++ {
		end := bytes.IndexByte(data[pos:], '\n')
		if end < 0 {
			end = len(data)
		} else {
			end += pos + 1
		}
		text := data[pos:end]
		if rest, ok := bytes.CutPrefix(text, []byte("---")); ok {
			rest = bytes.TrimSpace(rest)
			if len(rest) > 0 && rest[0] != '#' {
				return chunks, &Error{Source: source, Line: line,
					Message: parseMessage(source, fmt.Errorf("invalid Yaml document separator: %s", rest))}
			}
			if start < pos {
				chunks = append(chunks, chunk{data: data[start:pos], line: startLine})
			}
			start, startLine = end, line+1
		}
		pos = end
	}
	if start < len(data) {
		chunks = append(chunks, chunk{data: data[start:], line: startLine})
	}
	return chunks, nil
}

// splitJSON reads a stream of JSON objects. It returns nil, nil when the
// first object does not parse, so that the caller reads the input as YAML,
// as kubectl does for input that only looks like JSON.
func splitJSON(source string, data []byte) ([]chunk, *Error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	var chunks []chunk
	for {
		var raw json.RawMessage
		err := dec.Decode(&raw)
		if err != nil {
			if errors.Is(err, io.EOF) {
				return chunks, nil
			}
			if len(chunks) == 0 {
				return nil, nil
			}
			var syn *json.SyntaxError
			if errors.As(err, &syn) {
				err = yamlutil.JSONSyntaxError{Offset: syn.Offset, Err: syn}
			}
			off := int(dec.InputOffset())
			return chunks, &Error{Source: source, Line: lineAt(data, off), Message: parseMessage(source, err)}
		}
		end := int(dec.InputOffset())
		begin := end - len(raw)
		chunks = append(chunks, chunk{data: raw, line: lineAt(data, begin), json: true})
	}
}

func lineAt(data []byte, offset int) int {
	offset = min(max(offset, 0), len(data))
	return 1 + bytes.Count(data[:offset], []byte("\n"))
}

// firstContentLine skips blank and comment lines so that Document.Line
// points at the document's first real line rather than at a separator gap.
func firstContentLine(c chunk) int {
	line := c.line
	for _, l := range strings.Split(string(c.data), "\n") {
		t := strings.TrimSpace(l)
		if t != "" && !strings.HasPrefix(t, "#") {
			return line
		}
		line++
	}
	return c.line
}

// document is one object being decoded, with what is needed to report on it.
type document struct {
	source string
	chunk  chunk
	line   int          // where the object starts, for Document.Line
	nodes  *yamlv3.Node // positions; nil if yaml.v3 could not parse
	raw    []byte       // JSON
	fields map[string]any
}

// at converts a line inside the chunk to a line in the source.
func (d *document) at(rel int) int {
	if rel <= 0 {
		return d.line
	}
	return d.chunk.line + rel - 1
}

func (d *document) lineOf(path string) int {
	return d.at(lookup(d.nodes, parsePath(path)))
}

// decodeChunk decodes one document, or every item of a kind: List. It
// returns the objects, the errors that do not stop kubectl, and one that
// does.
func decodeChunk(source string, c chunk) ([]Document, []*Error, *Error) {
	j, err := yaml.YAMLToJSON(c.data)
	if err != nil {
		// kubectl reaches this through sigs.k8s.io/yaml.Unmarshal, which
		// adds this prefix; YAMLToJSON does not.
		return nil, nil, syntaxError(source, c, fmt.Errorf("error converting YAML to JSON: %w", err))
	}
	if t := bytes.TrimSpace(j); len(t) == 0 || bytes.Equal(t, []byte("null")) {
		return nil, nil, nil
	}
	d := &document{source: source, chunk: c, line: firstContentLine(c), nodes: parseNodes(c.data), raw: j}
	return d.decode()
}

func (d *document) decode() ([]Document, []*Error, *Error) {
	var generic any
	if err := json.Unmarshal(d.raw, &generic); err != nil {
		return nil, nil, &Error{Source: d.source, Line: d.line, Message: validationMessage(d.source, err)}
	}
	fields, ok := generic.(map[string]any)
	if !ok {
		return nil, nil, &Error{Source: d.source, Line: d.line,
			Message: validationMessage(d.source, errors.New("invalid object to validate"))}
	}
	d.fields = fields
	gvk, fatal := d.kind()
	if fatal != nil {
		return nil, nil, fatal
	}
	if gvk.Kind == "List" && gvk.GroupVersion() == (schema.GroupVersion{Version: "v1"}) {
		return d.decodeList()
	}
	obj, bad := d.typed(gvk)
	if bad != nil {
		return nil, []*Error{bad}, nil
	}
	return []Document{{Object: obj, Source: d.source, Line: d.line, Notices: notices(gvk.Kind, fields), Fields: d.raw}}, nil, nil
}

// kind checks apiVersion and kind the way kubectl's client-side validation
// does (k8s.io/kubectl pkg/validation getObjectKind), collecting both
// problems into one message.
func (d *document) kind() (schema.GroupVersionKind, *Error) {
	var errs []error
	var gv schema.GroupVersion
	switch v := d.fields["apiVersion"].(type) {
	case nil:
		errs = append(errs, errors.New("apiVersion not set"))
	case string:
		var err error
		if gv, err = schema.ParseGroupVersion(v); err != nil {
			errs = append(errs, err)
		}
	default:
		errs = append(errs, errors.New("apiVersion isn't string type"))
	}
	kind, isString := d.fields["kind"].(string)
	switch {
	case d.fields["kind"] == nil:
		errs = append(errs, errors.New("kind not set"))
	case !isString:
		errs = append(errs, errors.New("kind isn't string type"))
	}
	if len(errs) > 0 {
		return schema.GroupVersionKind{}, &Error{
			Source:  d.source,
			Line:    d.line,
			Message: validationMessage(d.source, utilerrors.NewAggregate(errs)),
			Hint: Hint{
				EN: "Every manifest starts with apiVersion and kind at the top level, e.g. apiVersion: v1 and kind: Pod.",
				KO: "매니페스트 맨 위에는 apiVersion과 kind가 꼭 있어야 해요. 예: apiVersion: v1, kind: Pod",
			},
		}
	}
	return gv.WithKind(kind), nil
}

// decodeList decodes the items of a kind: List one by one; kubectl flattens
// them into separate objects.
func (d *document) decodeList() ([]Document, []*Error, *Error) {
	items, _ := d.fields["items"].([]any)
	var itemNodes []*yamlv3.Node
	if n := dig2(d.nodes, "items"); n != nil && n.Kind == yamlv3.SequenceNode {
		itemNodes = n.Content
	}
	var out []Document
	var bad []*Error
	for i, item := range items {
		raw, err := json.Marshal(item)
		if err != nil {
			continue // cannot happen: item came from json.Unmarshal
		}
		sub := &document{source: d.source, chunk: d.chunk, line: d.line, raw: raw}
		if i < len(itemNodes) {
			sub.nodes = itemNodes[i]
			sub.line = d.at(itemNodes[i].Line)
		}
		got, b, fatal := sub.decode()
		out = append(out, got...)
		bad = append(bad, b...)
		if fatal != nil {
			return out, bad, fatal
		}
	}
	return out, bad, nil
}

// dig2 returns the value node of key in a mapping node.
func dig2(n *yamlv3.Node, key string) *yamlv3.Node {
	n = content(n)
	if n == nil || n.Kind != yamlv3.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return content(n.Content[i+1])
		}
	}
	return nil
}

// typed strictly decodes the document into its Go type, as the apiserver
// does with fieldValidation=Strict (kubectl's default since 1.27).
func (d *document) typed(gvk schema.GroupVersionKind) (runtime.Object, *Error) {
	codec := theCodec.strict
	convert := olderVersions[gvk].toStored
	if convert != nil {
		codec = olderCodec
	} else if served, ok := theCodec.kindsGV[gvk.Kind]; !ok || served != gvk.GroupVersion() {
		return nil, d.mappingError(gvk)
	}
	obj, _, err := codec.Decode(d.raw, nil, nil)
	var strictErrs []error
	if err != nil {
		if !runtime.IsStrictDecodingError(err) {
			return nil, d.typeError(gvk, err)
		}
		var se interface{ Errors() []error }
		if errors.As(err, &se) {
			strictErrs = se.Errors()
		}
	}
	for _, dup := range duplicates(d.nodes, "") {
		strictErrs = append(strictErrs, fmt.Errorf("duplicate field %q", dup.path))
	}
	if len(strictErrs) > 0 {
		return nil, d.strictError(gvk, obj, strictErrs)
	}
	if convert != nil {
		obj = convert(obj)
	}
	return obj, nil
}

func (d *document) metaString(key string) string {
	s, _ := dig(d.fields, "metadata."+key).(string)
	return s
}

func (d *document) mappingError(gvk schema.GroupVersionKind) *Error {
	e := &Error{
		Source:  d.source,
		Line:    d.lineOf("kind"),
		Message: mappingMessage(d.source, d.metaString("name"), d.metaString("namespace"), gvk.Kind, gvk.GroupVersion().String()),
	}
	if served, ok := theCodec.kindsGV[gvk.Kind]; ok {
		e.Path = "apiVersion"
		e.Line = d.lineOf("apiVersion")
		e.Hint = Hint{
			EN: fmt.Sprintf("%s is in apiVersion %s, not %s. Write apiVersion: %s.", gvk.Kind, served, gvk.GroupVersion(), served),
			KO: fmt.Sprintf("kind: %s %s 아니라 %s에 있어요. apiVersion: %s 고쳐 보세요.", korean.With(gvk.Kind, "는"), korean.With(gvk.GroupVersion().String(), "가"), served, korean.With(served.String(), "로")),
		}
		return e
	}
	e.Path = "kind"
	names := make([]string, 0, len(theCodec.kindsGV))
	for _, k := range Kinds() {
		names = append(names, k.Kind)
	}
	if guess, ok := nearest(gvk.Kind, names); ok {
		served := theCodec.kindsGV[guess]
		e.Hint = Hint{
			EN: fmt.Sprintf("Did you mean kind: %s (apiVersion: %s)?", guess, served),
			KO: fmt.Sprintf("혹시 kind: %s, apiVersion: %s 쓰려고 했나요?", guess, korean.With(served.String(), "를")),
		}
		return e
	}
	e.Hint = Hint{
		EN: "kubeplay knows these kinds: " + strings.Join(names, ", ") + ".",
		KO: "kubeplay가 아는 kind는 다음과 같아요: " + strings.Join(names, ", "),
	}
	return e
}

var strictFieldRE = regexp.MustCompile(`^(unknown|duplicate) field "(.*)"$`)

func (d *document) strictError(gvk schema.GroupVersionKind, obj runtime.Object, errs []error) *Error {
	e := &Error{
		Source:  d.source,
		Line:    d.line,
		Message: badRequestFrame(d.source, gvk.Kind, gvk.Version, runtime.NewStrictDecodingError(errs)),
	}
	m := strictFieldRE.FindStringSubmatch(errs[0].Error())
	if m == nil {
		return e
	}
	e.Path = m[2]
	segs := parsePath(e.Path)
	last := segs[len(segs)-1].key
	if m[1] == "duplicate" {
		// The walk that found it knows the second occurrence's line;
		// lookup would find the first.
		for _, dup := range duplicates(d.nodes, "") {
			if dup.path == e.Path {
				e.Line = d.at(dup.line)
				break
			}
		}
		e.Hint = Hint{
			EN: fmt.Sprintf("%s is written twice in the same block; keep only one.", last),
			KO: fmt.Sprintf("같은 블록에 %s 필드가 두 번 있어요. 하나만 남겨 주세요.", last),
		}
		return e
	}
	e.Line = d.lineOf(e.Path)
	e.Hint = unknownFieldHint(obj, gvk, segs)
	return e
}

// misplacedUnderMetadata are the keys that, found under metadata, almost
// always mean the learner indented a top-level block one step too far.
var misplacedUnderMetadata = map[string]bool{
	"spec": true, "containers": true, "replicas": true, "selector": true, "template": true,
}

func unknownFieldHint(obj runtime.Object, gvk schema.GroupVersionKind, segs []segment) Hint {
	last := segs[len(segs)-1].key
	parent := segs[:len(segs)-1]
	if len(parent) > 0 && parent[len(parent)-1].key == "metadata" && misplacedUnderMetadata[last] {
		return Hint{
			EN: fmt.Sprintf("%s is indented under metadata. Move it left so that it starts in the same column as metadata.", last),
			KO: fmt.Sprintf("%s 필드가 metadata 안으로 들여쓰기되어 있어요. metadata와 같은 열에서 시작하도록 왼쪽으로 옮겨 보세요.", last),
		}
	}
	t := reflect.TypeOf(obj)
	if t == nil {
		if proto, err := theCodec.scheme.New(gvk); err == nil {
			t = reflect.TypeOf(proto)
		}
	}
	where := "the top level"
	whereKO := "최상위"
	if len(parent) > 0 {
		where = pathString(parent)
		whereKO = where
	}
	if t != nil {
		if guess, ok := nearest(last, fieldNames(t, parent)); ok {
			en := fmt.Sprintf("Did you mean %s?", guess)
			ko := fmt.Sprintf("혹시 %s 필드를 쓰려고 했나요?", guess)
			if strings.EqualFold(guess, last) {
				en += " Field names are case-sensitive."
				ko += " 필드 이름은 대소문자를 구분해요."
			}
			return Hint{EN: en, KO: ko}
		}
	}
	return Hint{
		EN: fmt.Sprintf("%s has no field %s. Check the spelling and the indentation.", where, last),
		KO: fmt.Sprintf("%s에는 %s 필드가 없어요. 철자와 들여쓰기를 확인해 보세요.", whereKO, last),
	}
}

func pathString(segs []segment) string {
	var b strings.Builder
	for i, s := range segs {
		if i > 0 {
			b.WriteByte('.')
		}
		b.WriteString(s.key)
		if s.index >= 0 {
			b.WriteString("[" + strconv.Itoa(s.index) + "]")
		}
	}
	return b.String()
}

// typeErrorRE reads encoding/json's UnmarshalTypeError text, which is what
// the apiserver passes on: "json: cannot unmarshal string into Go struct
// field DeploymentSpec.spec.replicas of type int32".
var typeErrorRE = regexp.MustCompile(`cannot unmarshal (\w+) into Go struct field [A-Za-z0-9_]+\.(\S+) of type (\S+)`)

func (d *document) typeError(gvk schema.GroupVersionKind, err error) *Error {
	e := &Error{
		Source:  d.source,
		Line:    d.line,
		Message: badRequestFrame(d.source, gvk.Kind, gvk.Version, err),
	}
	m := typeErrorRE.FindStringSubmatch(err.Error())
	if m == nil {
		return e
	}
	e.Path = m[2]
	if line := lookup(d.nodes, parsePath(e.Path)); line > 0 {
		e.Line = d.at(line)
	}
	switch want := m[3]; {
	case strings.HasPrefix(want, "int") || strings.HasPrefix(want, "uint") || strings.HasPrefix(want, "float"):
		e.Hint = Hint{
			EN: fmt.Sprintf("%s must be a number, written without quotes.", e.Path),
			KO: fmt.Sprintf("%s 값은 숫자여야 해요. 따옴표 없이 써 보세요.", e.Path),
		}
	case want == "string":
		e.Hint = Hint{
			EN: fmt.Sprintf("%s must be a string: put the value in quotes.", e.Path),
			KO: fmt.Sprintf("%s 값은 문자열이어야 해요. 값을 따옴표로 감싸 보세요.", e.Path),
		}
	case want == "bool":
		e.Hint = Hint{
			EN: fmt.Sprintf("%s must be true or false.", e.Path),
			KO: fmt.Sprintf("%s 값은 true 또는 false여야 해요.", e.Path),
		}
	}
	return e
}

var yamlLineRE = regexp.MustCompile(`yaml: line (\d+):`)

// indentationTrouble are goyaml messages whose usual cause, in hand-written
// manifests, is a key out of column.
var indentationTrouble = []string{
	"mapping values are not allowed in this context",
	"did not find expected key",
	"did not find expected '-' indicator",
	"block sequence entries are not allowed in this context",
	"could not find expected ':'",
	"found character that cannot start any token",
}

func syntaxError(source string, c chunk, err error) *Error {
	e := &Error{Source: source, Line: firstContentLine(c), Message: parseMessage(source, err)}
	if m := yamlLineRE.FindStringSubmatch(err.Error()); m != nil {
		if n, convErr := strconv.Atoi(m[1]); convErr == nil {
			e.Line = c.line + n - 1
		}
	}
	for i, l := range strings.Split(string(c.data), "\n") {
		indent := l[:len(l)-len(strings.TrimLeft(l, " \t"))]
		if strings.Contains(indent, "\t") {
			e.Line = c.line + i
			e.Hint = Hint{
				EN: fmt.Sprintf("Line %d is indented with a tab. YAML indentation must use spaces only.", e.Line),
				KO: fmt.Sprintf("%d번째 줄 들여쓰기에 탭 문자가 있어요. YAML 들여쓰기에는 공백만 쓸 수 있어요.", e.Line),
			}
			return e
		}
	}
	for _, t := range indentationTrouble {
		if strings.Contains(err.Error(), t) {
			e.Hint = Hint{
				EN: fmt.Sprintf("Check the indentation near line %d: keys of one block must start in the same column, indented with spaces.", e.Line),
				KO: fmt.Sprintf("%d번째 줄 근처의 들여쓰기를 확인해 보세요. 같은 블록의 키는 공백으로 같은 열에 맞춰야 해요.", e.Line),
			}
			break
		}
	}
	return e
}
