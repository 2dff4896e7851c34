package kubectl

import (
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// dataFlags are the sources `create configmap` and `create secret generic`
// read their keys from.
type dataFlags struct {
	literals []string
	files    []string
}

func (f *dataFlags) register(cmd *cobra.Command) {
	cmd.Flags().StringArrayVar(&f.literals, "from-literal", nil, "Specify a key and literal value to insert (i.e. mykey=somevalue)")
	cmd.Flags().StringSliceVar(&f.files, "from-file", nil, "Key file can be specified using its file path, in which case file basename will be used as key, or optionally with a key and file path, in which case the given key will be used.")
}

// data reads the keys: KEY=VALUE literals, and files as [KEY=]PATH (the
// file's base name is the key), with kubectl's errors.
func (s *Session) data(f dataFlags) (map[string]string, error) {
	out := map[string]string{}
	put := func(k, v string) error {
		if _, dup := out[k]; dup {
			return errorf("cannot add key %s, another key by that name already exists", k)
		}
		out[k] = v
		return nil
	}
	for _, l := range f.literals {
		k, v, ok := strings.Cut(l, "=")
		if !ok || k == "" {
			return nil, errorf("invalid literal source %s, expected key=value", l)
		}
		if err := put(k, v); err != nil {
			return nil, err
		}
	}
	read := s.ReadFile
	if read == nil {
		read = os.ReadFile
	}
	for _, src := range f.files {
		k, path, ok := strings.Cut(src, "=")
		if !ok {
			k, path = filepath.Base(src), src
		}
		b, err := read(path)
		if err != nil {
			return nil, errorf("error reading %s: no such file or directory", path)
		}
		if err := put(k, string(b)); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func (s *Session) createConfigMapCmd() *cobra.Command {
	var f dataFlags
	cmd := &cobra.Command{
		Use:     "configmap NAME [--from-file=[key=]source] [--from-literal=key1=value1]",
		Aliases: []string{"cm"},
		Short:   "Create a config map from a local file, directory or literal value",
		Args:    cobra.ExactArgs(1),
		RunE: func(_ *cobra.Command, args []string) error {
			data, err := s.data(f)
			if err != nil {
				return err
			}
			return failedTo("create configmap: ", s.createObject(&corev1.ConfigMap{ObjectMeta: metav1.ObjectMeta{Name: args[0]}, Data: data}))
		},
	}
	f.register(cmd)
	return cmd
}

func (s *Session) createSecretCmd() *cobra.Command {
	secret := &cobra.Command{Use: "secret (docker-registry | generic | tls)", Short: "Create a secret using a specified subcommand"}
	var f dataFlags
	var typ string
	generic := &cobra.Command{
		Use:   "generic NAME [--type=string] [--from-file=[key=]source] [--from-literal=key1=value1]",
		Short: "Create a secret from a local file, directory, or literal value",
		Args:  cobra.ExactArgs(1),
		RunE: func(_ *cobra.Command, args []string) error {
			data, err := s.data(f)
			if err != nil {
				return err
			}
			// The apiserver keeps bytes; kubectl shows them base64-encoded.
			bytes := map[string][]byte{}
			for k, v := range data {
				bytes[k] = []byte(v)
			}
			t := corev1.SecretType(typ)
			if t == "" {
				t = corev1.SecretTypeOpaque
			}
			return failedTo("create secret ", s.createObject(&corev1.Secret{ObjectMeta: metav1.ObjectMeta{Name: args[0]}, Data: bytes, Type: t}))
		},
	}
	f.register(generic)
	generic.Flags().StringVar(&typ, "type", "", "The type of secret to create")
	secret.AddCommand(generic)
	return secret
}
