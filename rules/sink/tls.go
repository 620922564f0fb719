package sink

import (
	"crypto/tls"
	"crypto/x509"
	"encoding/base64"
	"fmt"
	"os"
	"strings"
)

// tlsConfig builds the TLS settings shared by mqtt and rest (rules-api.md
// §2.4.3); transports use it only for TLS URLs.
func tlsConfig(p Props, defInsecure bool) (*tls.Config, error) {
	insecure, err := p.Bool("insecureSkipVerify", defInsecure)
	if err != nil {
		return nil, err
	}
	cfg := &tls.Config{InsecureSkipVerify: insecure, MinVersion: tls.VersionTLS12} //nolint:gosec // user option
	if cfg.MinVersion, err = tlsVersion(p); err != nil {
		return nil, err
	}
	if cfg.Renegotiation, err = renegotiation(p); err != nil {
		return nil, err
	}
	cert, err := pemProp(p, "certificationRaw", "certficationRaw", "certificationPath")
	if err != nil {
		return nil, err
	}
	key, err := pemProp(p, "privateKeyRaw", "", "privateKeyPath")
	if err != nil {
		return nil, err
	}
	ca, err := pemProp(p, "rootCARaw", "rootCaRaw", "rootCaPath")
	if err != nil {
		return nil, err
	}
	if (cert == nil) != (key == nil) {
		return nil, fmt.Errorf("TLS client certificate and private key must be given together")
	}
	if cert != nil {
		pair, err := tls.X509KeyPair(cert, key)
		if err != nil {
			return nil, fmt.Errorf("TLS client certificate: %w", err)
		}
		cfg.Certificates = []tls.Certificate{pair}
	}
	if ca != nil {
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(ca) {
			return nil, fmt.Errorf("TLS root CA: no PEM certificate found")
		}
		cfg.RootCAs = pool
	}
	return cfg, nil
}

func tlsVersion(p Props) (uint16, error) {
	s, err := p.String("tlsMinVersion", "tls1.2")
	if err != nil {
		return 0, err
	}
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "tls1.0":
		return tls.VersionTLS10, nil
	case "tls1.1":
		return tls.VersionTLS11, nil
	case "tls1.2", "":
		return tls.VersionTLS12, nil
	case "tls1.3":
		return tls.VersionTLS13, nil
	}
	return 0, fmt.Errorf("property tlsMinVersion: unknown version %q (tls1.0 … tls1.3)", s)
}

func renegotiation(p Props) (tls.RenegotiationSupport, error) {
	s, err := p.String("renegotiationSupport", "never")
	if err != nil {
		return 0, err
	}
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "never", "":
		return tls.RenegotiateNever, nil
	case "once":
		return tls.RenegotiateOnceAsClient, nil
	case "freely":
		return tls.RenegotiateFreelyAsClient, nil
	}
	return 0, fmt.Errorf("property renegotiationSupport: unknown value %q (never, once, freely)", s)
}

// pemProp reads PEM data from a raw property (base64 of the PEM, or the PEM
// itself), its alternative spelling, or a file path. nil when none is set.
func pemProp(p Props, raw, alt, path string) ([]byte, error) {
	for _, key := range []string{raw, alt} {
		if key == "" {
			continue
		}
		s, err := p.String(key, "")
		if err != nil {
			return nil, err
		}
		if s = strings.TrimSpace(s); s == "" {
			continue
		}
		if strings.HasPrefix(s, "-----BEGIN") {
			return []byte(s), nil
		}
		b, err := base64.StdEncoding.DecodeString(s)
		if err != nil {
			return nil, fmt.Errorf("property %s: not base64 PEM: %w", key, err)
		}
		return b, nil
	}
	file, err := p.String(path, "")
	if err != nil || file == "" {
		return nil, err
	}
	b, err := os.ReadFile(file)
	if err != nil {
		return nil, fmt.Errorf("property %s: %w", path, err)
	}
	return b, nil
}
