//go:build !linux

package kubeproxy

import "errors"

func program([]Route, Local) error {
	return errors.New("the in-pod proxy needs Linux network namespaces")
}
