package manifest

import (
	"fmt"

	"github.com/kubeplay/kubeplay/engine/bilingual"
)

// Hint is a short, learner-facing tip in English and Korean. Both are empty
// when kubeplay has nothing to add to kubectl's own message.
type Hint = bilingual.Text

// HintLine is h as kubeplay prints it under an error, labelled, in lang
// (English, label and all, when it has no Korean): "" when empty.
func HintLine(h Hint, lang bilingual.Lang) string {
	if h.KO == "" {
		lang = bilingual.English
	}
	if text := h.In(lang); text != "" {
		return lang.Pick("hint: ", "힌트: ") + text
	}
	return ""
}

// Notice says that a field was accepted but kubeplay does not act on it.
type Notice struct {
	Path string
	Text bilingual.Text
}

// Error is a manifest that kubectl or the apiserver would refuse. Message is
// the exact text kubectl prints, so a learner who later meets a real
// cluster sees the same words; Line and Hint are kubeplay's additions.
type Error struct {
	Source  string
	Line    int    // the offending field's line when known, else the document's
	Path    string // field path such as spec.containers[0].image; may be empty
	Message string
	Hint    Hint
}

func (e *Error) Error() string { return e.Message }

// Messages below are copied from kubectl (k8s.io/kubectl pkg/cmd/util,
// pkg/validation, cli-runtime resource builder) and the apiserver
// (endpoints/handlers transformDecodeError); keep them byte-identical.

// badRequestFrame is how kubectl prints a decode error coming back from the
// apiserver for a create; "creating" is kubectl's verb for create and for
// apply of a new object.
func badRequestFrame(source, kind, version string, cause error) string {
	return fmt.Sprintf("Error from server (BadRequest): error when creating %q: %s in version %q cannot be handled as a %s: %v",
		source, kind, version, kind, cause)
}

// stopValidateMessage is appended by kubectl to every client-side
// validation failure.
const stopValidateMessage = "if you choose to ignore these errors, turn validation off with --validate=false"

func validationMessage(source string, cause error) string {
	return fmt.Sprintf("error: error validating %q: error validating data: %v; %s", source, cause, stopValidateMessage)
}

func parseMessage(source string, cause error) string {
	return fmt.Sprintf("error: error parsing %s: %v", source, cause)
}

func mappingMessage(source, name, namespace, kind, apiVersion string) string {
	return fmt.Sprintf("error: resource mapping not found for name: %q namespace: %q from %q: no matches for kind %q in version %q\nensure CRDs are installed first",
		name, namespace, source, kind, apiVersion)
}
