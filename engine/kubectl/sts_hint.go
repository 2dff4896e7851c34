package kubectl

import (
	appsv1 "k8s.io/api/apps/v1"
	"k8s.io/apimachinery/pkg/runtime"
)

// createdHint is kubeplay's word after an object is created that the
// apiserver accepts but that will not do what a learner most likely
// wants: a StatefulSet with no serviceName (optional since upstream made
// it so) gets its stable pod names, but no stable network names, since no
// headless Service governs it.
func (s *Session) createdHint(obj runtime.Object) {
	sts, ok := obj.(*appsv1.StatefulSet)
	if !ok || sts.Spec.ServiceName != "" {
		return
	}
	s.hintText("kubeplay: statefulset "+sts.Name+" has no spec.serviceName, so its pods get no stable DNS names ("+sts.Name+"-0.<service>): "+
		"create a headless Service (clusterIP: None) that selects them and name it in spec.serviceName.",
		"kubeplay: 스테이트풀셋 "+sts.Name+"에 spec.serviceName이 없어서 파드에 고정된 DNS 이름("+sts.Name+"-0.<서비스>)이 생기지 않아요. "+
			"파드를 고르는 헤드리스 서비스(clusterIP: None)를 만들고 spec.serviceName에 그 이름을 적어 보세요.")
}
