package kubectl

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/client-go/util/jsonpath"
)

// waitForever stands for a negative --timeout, which kubectl reads as a
// week.
const waitForever = 7 * 24 * time.Hour

type waitOptions struct {
	forCond  string
	timeout  time.Duration
	all      bool
	selector string
}

func (s *Session) waitCmd() *cobra.Command {
	var o waitOptions
	cmd := &cobra.Command{
		Use:   "wait ([-f FILENAME] | resource.group/resource.name | resource.group [(-l label | --all)]) [--for=create|--for=delete|--for condition=available|--for=jsonpath='{}'[=value]]",
		Short: "Experimental: Wait for a specific condition on one or many resources",
		RunE:  func(_ *cobra.Command, args []string) error { return s.runWait(args, o) },
	}
	f := cmd.Flags()
	f.StringVar(&o.forCond, "for", "", "The condition to wait on: [create|delete|condition=condition-name[=condition-value]|jsonpath='{JSONPath expression}'=[JSONPath value]].")
	f.DurationVar(&o.timeout, "timeout", 30*time.Second, "The length of time to wait before giving up.  Zero means check once and don't wait, negative means wait for a week.")
	f.BoolVar(&o.all, "all", false, "Select all resources in the namespace of the specified resource types")
	f.StringVarP(&o.selector, "selector", "l", "", "Selector (label query) to filter on, supports '=', '==', '!=', 'in', 'notin'.")
	return cmd
}

// waitCheck reports whether an object meets the condition; obj is nil
// once the object is gone.
type waitCheck func(obj runtime.Object) bool

// parseFor reads --for as kubectl's conditionFuncFor does.
func parseFor(cond string) (waitCheck, bool, error) {
	lower := strings.ToLower(cond)
	switch {
	case lower == "delete":
		return func(obj runtime.Object) bool { return obj == nil }, true, nil
	case lower == "create":
		return func(obj runtime.Object) bool { return obj != nil }, false, nil
	case strings.HasPrefix(lower, "condition="):
		name, value, ok := strings.Cut(cond[len("condition="):], "=")
		if !ok {
			value = "true"
		}
		return func(obj runtime.Object) bool { return hasCondition(obj, name, value) }, false, nil
	case strings.HasPrefix(lower, "jsonpath="):
		expr, value, hasValue := strings.Cut(cond[len("jsonpath="):], "=")
		expr = strings.Trim(expr, "'")
		if strings.HasPrefix(expr, "{") != strings.HasSuffix(expr, "}") || expr == "" {
			return nil, false, fmt.Errorf("unrecognized JSONPath expression %q: the jsonpath expression must be in the form of {.path}", expr)
		}
		if !strings.HasPrefix(expr, "{") {
			expr = "{" + expr + "}"
		}
		jp := jsonpath.New("wait")
		if err := jp.Parse(expr); err != nil {
			return nil, false, fmt.Errorf("unrecognized JSONPath expression %q: %v", expr, err)
		}
		return func(obj runtime.Object) bool { return jsonPathMatches(jp, obj, value, hasValue) }, false, nil
	}
	return nil, false, fmt.Errorf("unrecognized condition: %q", cond)
}

// hasCondition checks status.conditions as kubectl wait does: the type
// matched without regard to case, the status as given.
func hasCondition(obj runtime.Object, name, value string) bool {
	doc := toUnstructured(obj)
	status, _ := doc["status"].(map[string]any)
	conds, _ := status["conditions"].([]any)
	for _, c := range conds {
		m, _ := c.(map[string]any)
		t, _ := m["type"].(string)
		st, _ := m["status"].(string)
		if strings.EqualFold(t, name) && strings.EqualFold(st, value) {
			return true
		}
	}
	return false
}

func jsonPathMatches(jp *jsonpath.JSONPath, obj runtime.Object, value string, hasValue bool) bool {
	if obj == nil {
		return false
	}
	results, err := jp.FindResults(toUnstructured(obj))
	if err != nil || len(results) == 0 || len(results[0]) == 0 {
		return false
	}
	if !hasValue {
		return true
	}
	var buf bytes.Buffer
	if err := jp.PrintResults(&buf, results[0]); err != nil {
		return false
	}
	return buf.String() == value
}

func toUnstructured(obj runtime.Object) map[string]any {
	if obj == nil {
		return nil
	}
	data, err := json.Marshal(obj)
	if err != nil {
		return nil
	}
	var m map[string]any
	_ = json.Unmarshal(data, &m)
	return m
}

func (s *Session) runWait(args []string, o waitOptions) error {
	if o.forCond == "" {
		return fmt.Errorf("--for must be specified")
	}
	check, forDelete, err := parseFor(o.forCond)
	if err != nil {
		return err
	}
	if len(args) == 0 {
		return fmt.Errorf("resource(s) were provided, but no name was specified")
	}
	targets, err := s.metaTargets(args, metaOptions{all: o.all, selector: o.selector})
	if err != nil {
		return err
	}
	if len(targets) == 0 && !forDelete {
		return fmt.Errorf("no matching resources found")
	}
	timeout := o.timeout
	if timeout < 0 {
		timeout = waitForever
	}
	for _, t := range targets {
		ns := s.Namespace
		if !t.res.Namespaced {
			ns = ""
		}
		// The first read goes to the apiserver; the rest watch the store.
		if _, err := s.get(t.res, ns, t.name); err != nil {
			if apierrors.IsNotFound(err) && forDelete {
				continue
			}
			if !apierrors.IsNotFound(err) || o.forCond != "create" {
				return err
			}
		}
		met := s.runUntil(timeout, func() bool {
			obj, err := s.C.Get(t.res, ns, t.name)
			if err != nil {
				obj = nil
			}
			return check(obj)
		})
		if !met {
			return fmt.Errorf("timed out waiting for the condition on %s/%s", t.res.GroupResource(), t.name)
		}
		fmt.Fprintf(s.Out, "%s condition met\n", t.res.KindName(t.name))
	}
	return nil
}

// WaitCondition is `kubectl wait --for=COND` as a test on one object (nil
// once the object is gone), parsed as kubectl parses it. Lessons check
// their steps with it, so a step's check reads exactly as the command a
// learner could type.
func WaitCondition(cond string) (func(obj runtime.Object) bool, error) {
	check, _, err := parseFor(cond)
	if err != nil {
		return nil, err
	}
	return check, nil
}
