package kubectl

import (
	"fmt"
	"io/fs"
	"net/url"
	"strings"

	"github.com/kubeplay/kubeplay/assets"
)

// docsExamples maps the manifests the Kubernetes documentation applies by
// URL (kubectl apply -f https://k8s.io/examples/…) to the copies kubeplay
// embeds: the playground reaches no internet, and a learner following the
// documentation should not have to retype its manifests. The key is the
// path under the documentation's examples folder, which k8s.io/examples/,
// kubernetes.io/examples/ and the website repository's raw files share.
var docsExamples = map[string]string{
	"controllers/job.yaml":              "examples/job.yaml",
	"application/job/cronjob.yaml":      "examples/cronjob.yaml",
	"controllers/daemonset.yaml":        "examples/fluentd-elasticsearch.yaml",
	"controllers/nginx-deployment.yaml": "examples/nginx-deployment.yaml",
	"controllers/frontend.yaml":         "examples/replicaset.yaml",
	"pods/probe/exec-liveness.yaml":     "examples/liveness-exec.yaml",
	"application/web/web.yaml":          "examples/web-statefulset.yaml",
	"application/php-apache.yaml":       "examples/php-apache.yaml",
	"application/hpa/php-apache.yaml":   "examples/hpa-php-apache.yaml",
}

// docsExamplePath returns the documentation's examples path of a URL
// (controllers/job.yaml), or "" when the URL is not one of its examples.
func docsExamplePath(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return ""
	}
	host := strings.TrimPrefix(u.Host, "www.")
	switch {
	case host == "k8s.io" || host == "kubernetes.io":
		return strings.TrimPrefix(u.Path, "/examples/")
	case host == "raw.githubusercontent.com":
		// /kubernetes/website/<branch>/content/en/examples/<path>
		_, rest, ok := strings.Cut(u.Path, "/content/en/examples/")
		if ok && strings.HasPrefix(u.Path, "/kubernetes/website/") {
			return rest
		}
	}
	return ""
}

// readURL gives the embedded copy of a documentation example named by URL,
// saying so on standard error, and otherwise says that nothing is fetched.
func (s *Session) readURL(raw string) ([]source, error) {
	if embedded, ok := docsExamples[docsExamplePath(raw)]; ok {
		data, err := fs.ReadFile(assets.FS, embedded)
		if err != nil {
			return nil, err
		}
		fmt.Fprintf(s.Err, s.Lang.Pick(
			"kubeplay: no internet here, so this is kubeplay's own copy of the documentation's example (assets/%s)\n",
			"kubeplay: 여기서는 인터넷에 연결할 수 없어서, 문서 예제를 kubeplay에 담긴 사본(assets/%s)으로 대신 적용해요\n"), embedded)
		return []source{{raw, data}}, nil
	}
	return nil, fmt.Errorf(s.Lang.Pick(
		"kubeplay cannot fetch %s: the playground has no internet access; save the manifest to a file and use -f FILE",
		"kubeplay는 %s 주소에서 가져올 수 없어요: 놀이터는 인터넷에 연결되지 않아요. 매니페스트를 파일로 저장하고 -f FILE로 적용하세요"), raw)
}
