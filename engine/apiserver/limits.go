package apiserver

import (
	"encoding/json"
	"fmt"
	"net/http"

	"github.com/kubeplay/kubeplay/engine/manifest"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
)

// Limits kube-apiserver and etcd put on what one request may store or
// make, so that no input a learner (or a page) controls makes kubeplay
// run out of memory before it answers.
const (
	// MaxObjectBytes is etcd's default --max-request-bytes, 1.5 MiB: a
	// larger write is refused with "etcdserver: request is too large".
	MaxObjectBytes = 3 << 19
	// maxJSONPatchOperations is kube-apiserver's limit on the operations
	// of one JSON patch.
	maxJSONPatchOperations = 10000
	// jsonPatchMaxCopyBytes is kube-apiserver's JSONPatchMaxCopyBytes:
	// what a JSON patch's copy operations may add up to, 3 MiB. Each copy
	// of the whole document doubles it; without a limit a 2 KB patch of
	// copies would need gigabytes.
	jsonPatchMaxCopyBytes = 3 << 20
)

// HintedError is an API error as kube-apiserver words it, with
// kubeplay's explanation for the learner, which the built-in prompt and
// the HTTP API print under it.
type HintedError struct {
	*apierrors.StatusError
	Hint manifest.Hint
}

// Unwrap gives the API error, for errors.As.
func (e *HintedError) Unwrap() error { return e.StatusError }

// LearnerHint is kubeplay's explanation.
func (e *HintedError) LearnerHint() manifest.Hint { return e.Hint }

// fitsEtcd refuses an object etcd would not store, as kube-apiserver
// passes etcd's refusal on: a 500 Status without a reason.
func fitsEtcd(key string, obj runtime.Object) error {
	size := storedSize(key, obj)
	if size <= MaxObjectBytes {
		return nil
	}
	return &HintedError{
		StatusError: &apierrors.StatusError{ErrStatus: metav1.Status{Status: metav1.StatusFailure,
			Code: http.StatusInternalServerError, Message: "etcdserver: request is too large"}},
		Hint: manifest.Hint{
			EN: fmt.Sprintf("etcd stores an object of at most 1.5 MiB, and this one takes %s. Keep large data out of ConfigMaps and Secrets: put it in the image or in a volume.", mebibytes(size)),
			KO: fmt.Sprintf("etcd는 오브젝트 하나를 1.5 MiB까지만 저장해요. 이 오브젝트는 %s 크기예요. 큰 데이터는 컨피그맵이나 시크릿 말고 이미지나 볼륨에 넣으세요.", mebibytes(size)),
		},
	}
}

// storedSize is about what etcd is asked to store for obj at key: its
// protobuf encoding, as kube-apiserver stores the built-in kinds.
func storedSize(key string, obj runtime.Object) int {
	if p, ok := obj.(interface{ Size() int }); ok {
		return len(key) + p.Size()
	}
	data, _ := json.Marshal(obj)
	return len(key) + len(data)
}

func mebibytes(n int) string { return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20)) }
