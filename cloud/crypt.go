package cloud

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
)

// The accounts of the outside world (marketplace keys, courier keys, SMTP
// passwords) are sealed with AES-256-GCM under a key the operator keeps
// outside the store: `--secrets-key-file F`, or else a key file the cloud
// creates in its data directory on first start. Each sealed value is bound to
// its shop and kind, so a row copied onto another shop does not open.

// SecretsKeyFile is the key file's name in the data directory when no
// --secrets-key-file is given.
const SecretsKeyFile = "secrets.key"

// keyCheckText is sealed once with the key; a key that cannot open it is not
// the key the stored accounts were sealed with.
const keyCheckText = "kasir accounts key check v1"

// LoadSecretsKey reads the 32-byte key from file, written as 64 hex digits
// or base64. With no file it uses dataDir/secrets.key, creating it (mode
// 0600) on first start and logging where. It never overwrites a key file.
func LoadSecretsKey(file, dataDir string, log *slog.Logger) ([]byte, error) {
	created := false
	if file == "" {
		file = filepath.Join(dataDir, SecretsKeyFile)
		if _, err := os.Stat(file); errors.Is(err, fs.ErrNotExist) {
			if err := os.MkdirAll(dataDir, 0o700); err != nil {
				return nil, fmt.Errorf("secrets key: data dir %s: %w", dataDir, err)
			}
			key := make([]byte, 32)
			if _, err := rand.Read(key); err != nil {
				return nil, fmt.Errorf("secrets key: %w", err)
			}
			// O_EXCL: a key another process created meanwhile is read, never replaced.
			f, err := os.OpenFile(file, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
			if err == nil {
				_, err = f.WriteString(hex.EncodeToString(key) + "\n")
				if cerr := f.Close(); err == nil {
					err = cerr
				}
				if err != nil {
					return nil, fmt.Errorf("secrets key %s: %w", file, err)
				}
				created = true
			} else if !errors.Is(err, fs.ErrExist) {
				return nil, fmt.Errorf("secrets key %s: %w", file, err)
			}
		}
	}
	raw, err := os.ReadFile(file)
	if err != nil {
		return nil, fmt.Errorf("secrets key file %s cannot be read: %w", file, err)
	}
	key, err := parseKey(strings.TrimSpace(string(raw)))
	if err != nil {
		return nil, fmt.Errorf("secrets key file %s: %w", file, err)
	}
	if created && log != nil {
		log.Warn("created a secrets key for the accounts; keep a copy, the stored accounts cannot be read without it", "file", file)
	}
	return key, nil
}

func parseKey(s string) ([]byte, error) {
	if b, err := hex.DecodeString(s); err == nil && len(b) == 32 {
		return b, nil
	}
	if b, err := base64.StdEncoding.DecodeString(s); err == nil && len(b) == 32 {
		return b, nil
	}
	return nil, errors.New("must hold a 32-byte key as 64 hex digits or base64 (for example: openssl rand -hex 32)")
}

// sealer seals and opens account values.
type sealer struct{ aead cipher.AEAD }

func newSealer(key []byte) (*sealer, error) {
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, err
	}
	return &sealer{aead: aead}, nil
}

// seal is nonce | ciphertext, bound to label.
func (s *sealer) seal(label string, plain []byte) []byte {
	nonce := make([]byte, s.aead.NonceSize(), s.aead.NonceSize()+len(plain)+s.aead.Overhead())
	_, _ = rand.Read(nonce)
	return s.aead.Seal(nonce, nonce, plain, []byte(label))
}

// errWrongKey says a sealed value does not open with this key.
var errWrongKey = errors.New("does not open with this secrets key")

func (s *sealer) open(label string, sealed []byte) ([]byte, error) {
	n := s.aead.NonceSize()
	if len(sealed) < n+s.aead.Overhead() {
		return nil, errWrongKey
	}
	plain, err := s.aead.Open(nil, sealed[:n], sealed[n:], []byte(label))
	if err != nil {
		return nil, errWrongKey
	}
	return plain, nil
}
