package httpapi

import (
	"bytes"
	"crypto/subtle"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/kubeplay/kubeplay/engine/bilingual"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/streaming/pkg/httpstream"
)

// What keeps a web page the learner opens from driving the API. A page
// may send "simple" cross-site requests (a form, or fetch with a text/plain
// body) to 127.0.0.1 without asking first, open a WebSocket to it, or
// rebind a name of its own to 127.0.0.1; it can never add an
// Authorization header to any of them. So every request must carry the
// run's bearer token (kubectl sends it from kubeplay's kubeconfig), and,
// for defence in depth, name a loopback Host, carry no Origin on an
// upgrade, and say what its body is.

// Limits on what one request may cost, as kube-apiserver sets them.
const (
	// maxBody is kube-apiserver's MaxRequestBodyBytes: 3 MiB, twice
	// what etcd stores, as a JSON body is larger than its protobuf.
	maxBody = 3 << 20
	// headerTimeout is kube-apiserver's ReadHeaderTimeout.
	headerTimeout = 32 * time.Second
	// bodyTimeout bounds the reading of a body, as kube-apiserver's
	// request timeout (--request-timeout, 1m) bounds a request: a client
	// that trickles its body does not hold a connection for longer.
	bodyTimeout = time.Minute
	// idleTimeout closes a kept-alive connection nobody uses.
	idleTimeout = 90 * time.Second
)

// guard answers a request that may not reach the API and returns false.
// Otherwise it returns true, the request's body read into memory (at most
// maxBody, within bodyTimeout).
func (s *Server) guard(w http.ResponseWriter, r *http.Request) bool {
	if !s.anyHost && !loopbackHost(r.Host) {
		writeStatus(w, forbidden(fmt.Sprintf(
			"kubeplay answers requests addressed to localhost, 127.0.0.1 or [::1], not to %q (a web page may be trying to reach it under a name of its own); "+
				"use kubeplay's kubeconfig, or start kubeplay with --listen-any", r.Host)))
		return false
	}
	if !s.authorized(r) {
		// kube-apiserver's answer to a request without valid credentials;
		// kubectl prints "error: You must be logged in to the server
		// (Unauthorized)".
		writeStatus(w, apierrors.NewUnauthorized("Unauthorized"))
		return false
	}
	if httpstream.IsUpgradeRequest(r) {
		if origin := r.Header.Get("Origin"); origin != "" {
			writeStatus(w, forbidden(fmt.Sprintf(
				"kubeplay refuses an upgrade (WebSocket or SPDY) that comes from a web page (Origin: %s); kubectl sends no Origin", origin)))
			return false
		}
		return true
	}
	if !writes(r.Method) || r.ContentLength == 0 {
		return true
	}
	if accepted := acceptedMediaTypes(r.Method); !accepts(accepted, mediaType(r)) {
		writeStatus(w, unsupportedMediaType(accepted))
		return false
	}
	body, err := readLimited(w, r, s.bodyTimeout)
	if err != nil {
		w.Header().Set("Connection", "close")
		writeStatus(w, err)
		return false
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	return true
}

// forbidden is a 403 Status with kubeplay's own words.
func forbidden(msg string) error {
	return &apierrors.StatusError{ErrStatus: metav1.Status{Status: metav1.StatusFailure, Code: http.StatusForbidden,
		Reason: metav1.StatusReasonForbidden, Message: msg}}
}

// authorized reports whether r carries the run's token.
func (s *Server) authorized(r *http.Request) bool {
	got, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	return ok && subtle.ConstantTimeCompare([]byte(strings.TrimSpace(got)), []byte(s.creds.token)) == 1
}

// loopbackHost reports whether a Host header names this machine by a
// loopback name: localhost, 127.0.0.1 (or any 127.x), [::1], any port.
func loopbackHost(hostport string) bool {
	host := hostport
	if h, _, err := net.SplitHostPort(hostport); err == nil {
		host = h
	}
	host = strings.TrimSuffix(strings.TrimPrefix(host, "["), "]")
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// writes reports whether a method may carry a body the API reads.
func writes(method string) bool {
	switch method {
	case http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete:
		return true
	}
	return false
}

// Media types kube-apiserver reads, in the order its 415 lists them.
var (
	objectMediaTypes = []string{runtime.ContentTypeJSON, runtime.ContentTypeYAML, runtime.ContentTypeProtobuf}
	patchMediaTypes  = []string{string(types.JSONPatchType), string(types.MergePatchType), string(types.StrategicMergePatchType), string(types.ApplyYAMLPatchType)}
)

// acceptedMediaTypes are the bodies a method may send: patches to PATCH,
// objects (and DeleteOptions, access reviews) to the rest.
func acceptedMediaTypes(method string) []string {
	if method == http.MethodPatch {
		return patchMediaTypes
	}
	return objectMediaTypes
}

func accepts(accepted []string, mt string) bool {
	for _, a := range accepted {
		if strings.EqualFold(a, mt) {
			return true
		}
	}
	return false
}

// unsupportedMediaType is kube-apiserver's 415 for a body it cannot read.
func unsupportedMediaType(accepted []string) error {
	return &apierrors.StatusError{ErrStatus: metav1.Status{Status: metav1.StatusFailure, Code: http.StatusUnsupportedMediaType,
		Reason:  metav1.StatusReasonUnsupportedMediaType,
		Message: "the body of the request was in an unknown format - accepted media types include: " + strings.Join(accepted, ", ")}}
}

// readLimited reads r's body, refusing one over maxBody with
// kube-apiserver's 413, and one that has not arrived within timeout.
func readLimited(w http.ResponseWriter, r *http.Request, timeout time.Duration) ([]byte, error) {
	tooLarge := apierrors.NewRequestEntityTooLargeError(fmt.Sprintf("limit is %d", maxBody))
	if r.ContentLength > maxBody {
		return nil, tooLarge
	}
	rc := http.NewResponseController(w)
	_ = rc.SetReadDeadline(time.Now().Add(timeout))
	data, err := io.ReadAll(io.LimitReader(r.Body, maxBody+1))
	// No deadline afterwards: the server's read that notices a client
	// leaving would end a long request at it.
	_ = rc.SetReadDeadline(time.Time{})
	switch {
	case errors.Is(err, os.ErrDeadlineExceeded):
		return nil, apierrors.NewBadRequest(fmt.Sprintf("the request body did not arrive within %v", timeout))
	case err != nil:
		return nil, apierrors.NewBadRequest("reading the request body: " + err.Error())
	case len(data) > maxBody:
		return nil, tooLarge
	}
	return data, nil
}

// listenAnyWarning is what kubeplay says when it serves on an address
// other machines can reach.
func listenAnyWarning(lang bilingual.Lang, addr, kubeconfig string) string {
	return fmt.Sprintf(lang.Pick("warning: --listen-any: the API is served on %s, which other machines may reach. "+
		"Only this run's token, in %s, lets a request in: keep that file to yourself.\n",
		"경고: --listen-any: API를 %s에서 제공해요. 다른 컴퓨터에서도 닿을 수 있어요. "+
			"요청을 들여보내는 건 이번 실행의 토큰(%s 안에 있어요)뿐이니 그 파일을 남에게 주지 마세요.\n"), addr, kubeconfig)
}
