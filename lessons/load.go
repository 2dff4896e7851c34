package lessons

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"slices"
	"sort"
	"strings"

	"github.com/kubeplay/kubeplay/assets"
	"github.com/kubeplay/kubeplay/engine/bilingual"
	"github.com/kubeplay/kubeplay/engine/sim"

	kjson "sigs.k8s.io/json"
	"sigs.k8s.io/yaml"
)

// Dir is the folder of lesson files in the assets.
const Dir = "lessons"

// Levels are the levels a lesson may have, easiest first.
var Levels = []string{"beginner", "intermediate", "advanced"}

var idPattern = regexp.MustCompile(`^[a-z0-9]([-a-z0-9]*[a-z0-9])?$`)

// All loads the lessons built into kubeplay.
func All() ([]*Lesson, error) { return Load(assets.FS) }

// Load reads every lesson file in fsys's lessons/ folder, in file-name
// order; manifests named in lessons are read from fsys too. It fails on
// the first file that is not a valid lesson, naming the file and field.
func Load(fsys fs.FS) ([]*Lesson, error) {
	return LoadFiles(fsys, Dir, func(file string, data []byte) (*Lesson, string, error) {
		l, err := Parse(fsys, file, data)
		if err != nil {
			return nil, "", err
		}
		return l, l.ID, nil
	})
}

// LoadFiles reads every .yaml file of fsys's folder dir, in file-name
// order, with parse, which says what the file holds and its id. It fails
// on the first file parse refuses, and on an id two files give: the
// loader of the lessons and the exam's.
func LoadFiles[T any](fsys fs.FS, dir string, parse func(file string, data []byte) (T, string, error)) ([]T, error) {
	entries, err := fs.ReadDir(fsys, dir)
	if err != nil {
		return nil, err
	}
	var out []T
	seen := map[string]string{}
	for _, e := range entries {
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".yaml") {
			continue
		}
		file := path.Join(dir, e.Name())
		data, err := fs.ReadFile(fsys, file)
		if err != nil {
			return nil, err
		}
		v, id, err := parse(file, data)
		if err != nil {
			return nil, err
		}
		if other, dup := seen[id]; dup {
			return nil, fmt.Errorf("assets/%s: id %q is already the id of assets/%s", file, id, other)
		}
		seen[id] = file
		out = append(out, v)
	}
	return out, nil
}

// DecodeStrict decodes a YAML file into v strictly: a field v does not
// have, or one given twice, is an error naming it with its path
// (steps[1].tex).
func DecodeStrict(data []byte, v any) error {
	js, err := yaml.YAMLToJSONStrict(data)
	if err != nil {
		return err
	}
	strict, err := kjson.UnmarshalStrict(js, v)
	if err != nil {
		return err
	}
	if len(strict) > 0 {
		msgs := make([]string, len(strict))
		for i, e := range strict {
			msgs[i] = strings.TrimPrefix(e.Error(), "json: ")
		}
		return errors.New(strings.Join(msgs, "; "))
	}
	return nil
}

// Parse decodes and checks one lesson file; file is its path in fsys,
// where its manifests are read from.
func Parse(fsys fs.FS, file string, data []byte) (*Lesson, error) {
	fail := func(format string, a ...any) error {
		return fmt.Errorf("assets/%s: %s", file, fmt.Sprintf(format, a...))
	}
	var l Lesson
	if err := DecodeStrict(data, &l); err != nil {
		return nil, fail("%v", err)
	}
	l.file = file
	if err := l.validate(fsys); err != nil {
		return nil, fail("%v", err)
	}
	return &l, nil
}

// validate checks what decoding cannot: required fields, both languages,
// checks that parse, manifests that exist.
func (l *Lesson) validate(fsys fs.FS) error {
	var errs []error
	add := func(field string, err error) {
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: %v", field, err))
		}
	}
	add("id", CheckID(l.ID))
	if !slices.Contains(Levels, l.Level) {
		add("level", fmt.Errorf("%q must be one of %s", l.Level, strings.Join(Levels, ", ")))
	}
	add("title", checkText(l.Title))
	add("summary", checkText(l.Summary))
	add("addons", CheckAddons(l.Addons))
	if len(l.Steps) == 0 {
		add("steps", errors.New("a lesson needs at least one step"))
	}
	add("real_cluster", l.validateReal())
	names := map[string][]byte{}
	for i := range l.Steps {
		s := &l.Steps[i]
		at := fmt.Sprintf("steps[%d].", i)
		add(at+"text", checkText(s.Text))
		for j, h := range s.Hints {
			add(fmt.Sprintf("%shints[%d]", at, j), checkText(h))
			add(fmt.Sprintf("%shints[%d]", at, j), checkFrontEnd(h))
		}
		for j, p := range s.PauseOn {
			add(fmt.Sprintf("%spause_on[%d].explain", at, j), checkText(p.Explain))
			match := fmt.Sprintf("%spause_on[%d].match", at, j)
			if p.Match == (HopMatch{}) {
				add(match, errors.New("give at least one of from, to, verb, object"))
			}
			p.Match.check(func(field string, err error) { add(match+"."+field, err) })
		}
		if s.Check != nil {
			add(at+"check", s.Check.Validate())
		}
		if s.Manifest != nil {
			add(at+"manifest", s.Manifest.resolve(fsys, names))
		}
	}
	return errors.Join(errs...)
}

// check parses the words of a match, each reported to add with its
// field: a component or verb no hop has would make the pause never
// happen, and no test would notice.
func (m HopMatch) check(add func(field string, err error)) {
	for _, c := range []struct {
		field string
		c     sim.Component
	}{{"from", m.From}, {"to", m.To}} {
		if c.c != "" {
			_, err := sim.ParseComponent(string(c.c))
			add(c.field, err)
		}
	}
	if m.Verb != "" {
		v, err := sim.ParseVerb(string(m.Verb))
		if err == nil && v.Internal() {
			err = fmt.Errorf("%q is the verb of internal hops, which are never shown and never pause", v)
		}
		add("verb", err)
	}
}

// CheckID reports an id that is not lowercase letters, digits and '-'.
func CheckID(id string) error {
	if !idPattern.MatchString(id) {
		return fmt.Errorf("%q must be lowercase letters, digits and '-'", id)
	}
	return nil
}

// CheckAddons reports an add-on that is not one of Addons.
func CheckAddons(addons []string) error {
	for _, a := range addons {
		if !slices.Contains(Addons, a) {
			return fmt.Errorf("%q is not an add-on (%s)", a, strings.Join(Addons, ", "))
		}
	}
	return nil
}

// CheckText reports a text whose English or Korean is missing, as a
// lesson's loader does; the exam's loader holds its texts to it too.
func CheckText(t Text) error { return checkText(t) }

// checkText reports a missing language.
func checkText(t Text) error {
	var missing []string
	if strings.TrimSpace(t.EN) == "" {
		missing = append(missing, "en")
	}
	if strings.TrimSpace(t.KO) == "" {
		missing = append(missing, "ko")
	}
	if len(missing) > 0 {
		return fmt.Errorf("the %s text is missing", strings.Join(missing, " and "))
	}
	return nil
}

// resolve reads the manifest's content and names it; a name used twice
// in one lesson must mean the same content, since kubectl finds files by
// name for the whole lesson.
func (m *Manifest) resolve(fsys fs.FS, names map[string][]byte) error {
	switch {
	case (m.File == "") == (m.YAML == ""):
		return errors.New("give file (a path under assets/) or yaml, not both")
	case m.File != "":
		data, err := fs.ReadFile(fsys, m.File)
		if err != nil {
			return fmt.Errorf("file: assets/%s cannot be read: %v", m.File, errors.Unwrap(err))
		}
		m.data = data
		if m.Name == "" {
			m.Name = path.Base(m.File)
		}
	default:
		if m.Name == "" {
			return errors.New("an inline yaml needs a name, such as orphan.yaml, for kubectl apply -f")
		}
		m.data = []byte(m.YAML)
	}
	if strings.Contains(m.Name, "/") {
		return fmt.Errorf("name %q: a plain file name, without folders", m.Name)
	}
	if old, ok := names[m.Name]; ok && !bytes.Equal(old, m.data) {
		return fmt.Errorf("name %q: an earlier step has another manifest of that name", m.Name)
	}
	names[m.Name] = m.data
	return nil
}

// Manifests are the lesson's manifests by the name kubectl knows them.
func (l *Lesson) Manifests() map[string][]byte {
	out := map[string][]byte{}
	for _, s := range l.Steps {
		if s.Manifest != nil {
			out[s.Manifest.Name] = s.Manifest.data
		}
	}
	return out
}

// Find is the lesson with id; the error, in lang, lists the ids there are.
func Find(ls []*Lesson, id string, lang bilingual.Lang) (*Lesson, error) {
	var ids []string
	for _, l := range ls {
		if l.ID == id {
			return l, nil
		}
		ids = append(ids, l.ID)
	}
	sort.Strings(ids)
	return nil, fmt.Errorf(msg(lang, "no-lesson"), id, strings.Join(ids, ", "))
}

// shellOnly matches the word try: the shell's command that runs the
// suggested one (shell.go). The TUI has none (⏎ runs the suggestion
// pre-filled at its prompt), so a hint that says "try" tells half the
// learners to type a command that fails.
var shellOnly = regexp.MustCompile(`(?i)(^|[^\pL])try($|[^\pL])`)

// checkFrontEnd reports a hint that names a command only one front end has.
func checkFrontEnd(t Text) error {
	for _, s := range []string{t.EN, t.KO} {
		if shellOnly.MatchString(s) {
			return fmt.Errorf("%q names try, which only the shell has; say run, or name the command", s)
		}
	}
	return nil
}
